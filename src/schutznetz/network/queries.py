"""Reads of network data. Views and API endpoints read only through these functions."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from schutznetz.kit.folding import fold, fold_words
from schutznetz.network import policy
from schutznetz.network.models import (
    POSTAL_CODE_RE,
    ContactChannel,
    ContactChannelKind,
    JurisdictionArea,
    Membership,
    OnCallShift,
    Organisation,
    OrganisationKind,
    OrganisationUnit,
    Profession,
    Role,
)

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

MSG_POSTAL_CODE_MALFORMED = "Bitte eine fünfstellige Postleitzahl angeben (z. B. 44135)."
MSG_POSTAL_CODE_UNKNOWN = "Für die Postleitzahl {postal_code} ist im Netzwerk kein Jugendamt hinterlegt."
MSG_POSTAL_CODE_SPLIT = (
    "Die Postleitzahl {postal_code} ist zwischen mehreren Jugendämtern aufgeteilt ({choices}). "
    "Bitte die Gemeinde bzw. den Stadtteil angeben."
)
MSG_MUNICIPALITY_UNKNOWN = (
    "„{municipality}“ ist für die Postleitzahl {postal_code} nicht hinterlegt. Hinterlegt sind: {choices}."
)

DIRECTORY_ORDERING = ("name",)


# Case- and accent-insensitive key: 'Lütgendortmund ' -> 'lutgendortmund'.
municipality_key = fold


def _labels_matching(choices: Any, word: str) -> list[str]:
    """The values of a TextChoices whose German label contains the folded word ("sportverein")."""
    return [value for value, label in choices.choices if word in fold(str(label))]


def _directory_word(word: str) -> Q:
    """An organisation matches a word of the search by its name, kind or description, a team's name,
    or one of its people: name, function or profession ("insoweit erfahrene Fachkraft")."""
    people = Membership.objects.working().filter(
        Q(user__search_key__contains=word)
        | Q(job_title__icontains=word)
        | Q(profession__in=_labels_matching(Profession, word)),
        organisation_id=OuterRef("pk"),
        user__is_active=True,
    )
    units = OrganisationUnit.objects.filter(organisation_id=OuterRef("pk"), search_key__contains=word)
    return (
        Q(search_key__contains=word)
        | Q(kind__in=_labels_matching(OrganisationKind, word))
        | Q(description__icontains=word)
        | Exists(units)
        | Exists(people)
    )


def organisation_list(*, q: str = "", kind: str = "", place: str = "") -> QuerySet[Organisation]:
    """Active organisations matching a free-text search (every word, folded: ``kit.folding``; in the
    organisation, its teams or its people), an organisation kind and a place."""
    qs = Organisation.objects.filter(is_active=True)
    for word in fold_words(q):
        qs = qs.filter(_directory_word(word))
    if kind:
        qs = qs.filter(kind=kind)
    place = place.strip()
    if place:
        qs = qs.filter(postal_code__startswith=place) if place.isdigit() else qs.filter(city__icontains=place)
    return qs.only("id", "name", "kind", "street", "postal_code", "city", "phone").order_by(
        *DIRECTORY_ORDERING
    )


def directory_hits(organisations: Sequence[Organisation], q: str) -> dict[int, list[str]]:
    """For a page of the directory: the people and teams through whom an organisation was found
    ("Dr. Elif Yılmaz, Fachärztin …"), two queries."""
    words = fold_words(q)
    if not words or not organisations:
        return {}
    by_pk = {o.pk: fold(f"{o.name} {o.get_kind_display()} {o.description}") for o in organisations}
    hits: dict[int, list[str]] = {}

    def found(organisation_id: int, own: str, shown: str) -> None:
        mine = [w for w in words if w in own]
        if mine and all(w in own or w in by_pk[organisation_id] for w in words):
            hits.setdefault(organisation_id, []).append(shown)

    for unit in OrganisationUnit.objects.filter(organisation_id__in=by_pk).order_by("name"):
        found(unit.organisation_id, unit.search_key, f"Team {unit.name}")
    members = (
        Membership.objects.working()
        .filter(organisation_id__in=by_pk, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    for m in members:
        role = m.job_title or (m.get_profession_display() if m.profession else "")
        profession = m.get_profession_display() if m.profession else ""
        shown = m.user.display_name + (f", {role}" if role else "")
        found(m.organisation_id, fold(f"{m.user.first_name} {m.user.last_name} {role} {profession}"), shown)
    return hits


def organisation_get(*, pk: int) -> Organisation:
    """One active organisation with its units, contact channels and active members."""
    members = Membership.objects.filter(is_active=True, user__is_active=True).select_related("user", "unit")
    try:
        return Organisation.objects.prefetch_related(
            "units",
            Prefetch("contact_channels", queryset=ContactChannel.objects.all()),
            Prefetch(
                "memberships",
                queryset=members.order_by("user__last_name", "user__first_name"),
                to_attr="active_members",
            ),
        ).get(pk=pk, is_active=True)
    except Organisation.DoesNotExist:
        raise Http404("Organisation nicht gefunden.") from None


def on_call_at(*, organisation_ids: list[int], at: datetime) -> list[OnCallShift]:
    """Who of these organisations is on call at the given moment: one query."""
    return list(
        OnCallShift.objects.filter(
            organisation_id__in=organisation_ids, cancelled_at=None, starts_at__lte=at, ends_at__gt=at
        )
        .select_related("membership__user")
        .order_by("organisation_id", "starts_at")
    )


@dataclass(frozen=True)
class OwnOrganisation:
    """One of the user's organisations with whoever is on call there now (for the start page)."""

    organisation: Organisation
    on_call_now: list[OnCallShift]


def own_organisations_on_call(user: User, *, at: datetime) -> tuple[list[Membership], list[OwnOrganisation]]:
    """The user's memberships, and their organisations with the shifts running at ``at`` (one query)."""
    memberships = policy.active_memberships(user)
    shifts = on_call_at(organisation_ids=[m.organisation_id for m in memberships], at=at)
    return memberships, [
        OwnOrganisation(m.organisation, [s for s in shifts if s.organisation_id == m.organisation_id])
        for m in memberships
    ]


def on_call_shifts_between(
    *, organisation: Organisation, start: datetime, end: datetime
) -> list[OnCallShift]:
    return list(
        OnCallShift.objects.filter(
            organisation=organisation, cancelled_at=None, starts_at__lt=end, ends_at__gt=start
        )
        .select_related("membership__user")
        .order_by("starts_at", "ends_at")
    )


@dataclass(frozen=True)
class Gap:
    starts_at: datetime
    ends_at: datetime

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at


def on_call_gaps(shifts: list[OnCallShift], *, start: datetime, end: datetime) -> list[Gap]:
    """Stretches of [start, end) that no shift covers, from shifts sorted by start."""
    gaps: list[Gap] = []
    covered_until = start
    for shift in shifts:
        if shift.starts_at > covered_until:
            gaps.append(Gap(covered_until, min(shift.starts_at, end)))
        covered_until = max(covered_until, shift.ends_at)
        if covered_until >= end:
            break
    if covered_until < end:
        gaps.append(Gap(covered_until, end))
    return gaps


@dataclass
class JurisdictionError(Exception):
    field: str
    message: str
    choices: list[JurisdictionArea] = dataclasses.field(default_factory=list)
    unknown: bool = False  # the network knows no youth office for the postal code

    def __str__(self) -> str:
        return self.message


OTHER_AREA = "übriges Gebiet"  # the part of a split postal code that no district names


def _choices_text(areas: list[JurisdictionArea]) -> str:
    return "; ".join(f"{a.municipality or OTHER_AREA}: {a.youth_office.name}" for a in areas)


def jurisdiction_lookup(*, postal_code: str, municipality: str = "") -> Organisation:
    """The one youth office competent for an address, or a JurisdictionError that says why not.

    A postal code may be split between youth offices by municipality or district; then the
    municipality decides, and without it the caller is asked for it.
    """
    postal_code = postal_code.replace(" ", "").strip()
    if not re.fullmatch(POSTAL_CODE_RE, postal_code):
        raise JurisdictionError("postal_code", MSG_POSTAL_CODE_MALFORMED)
    areas = list(
        JurisdictionArea.objects.filter(
            postal_code=postal_code,
            youth_office__is_active=True,
            youth_office__kind=OrganisationKind.YOUTH_OFFICE,
        ).select_related("youth_office")
    )
    if not areas:
        raise JurisdictionError(
            "postal_code", MSG_POSTAL_CODE_UNKNOWN.format(postal_code=postal_code), unknown=True
        )
    key = municipality_key(municipality)
    if key:
        matching = [a for a in areas if a.municipality_key == key] or [
            a for a in areas if not a.municipality_key
        ]
        if not matching:
            raise JurisdictionError(
                "municipality",
                MSG_MUNICIPALITY_UNKNOWN.format(
                    municipality=municipality.strip(), postal_code=postal_code, choices=_choices_text(areas)
                ),
                areas,
            )
    else:
        matching = areas
    offices = {a.youth_office_id: a.youth_office for a in matching}
    if len(offices) > 1:
        raise JurisdictionError(
            "municipality",
            MSG_POSTAL_CODE_SPLIT.format(postal_code=postal_code, choices=_choices_text(matching)),
            matching,
        )
    return next(iter(offices.values()))


@dataclass(frozen=True)
class EmergencyContact:
    name: str
    number: str
    when: str


# What to do when the network knows no youth office for an address: numbers that work anywhere in
# Germany, round the clock.
NATIONWIDE_EMERGENCY = (
    EmergencyContact(
        "Polizei",
        "110",
        "bei akuter Gefahr für das Kind; erreicht außerhalb der Dienstzeiten auch den "
        "Bereitschaftsdienst des örtlichen Jugendamts",
    ),
    EmergencyContact("Rettungsdienst und Notärztin/Notarzt", "112", "bei Verletzungen oder Lebensgefahr"),
    EmergencyContact(
        "Medizinische Kinderschutzhotline",
        "0800 19 210 00",
        "für Fachkräfte aus Heilberufen, Kinder- und Jugendhilfe und Familiengerichten: kostenfrei, "
        "rund um die Uhr, berät zum Vorgehen bei Verdacht auf Kindeswohlgefährdung",
    ),
)


def youth_office_emergency_numbers() -> list[ContactChannel]:
    """The emergency numbers of the network's youth offices: each can say which office is competent
    for an address outside the network, and put the caller through."""
    return list(
        ContactChannel.objects.filter(
            kind=ContactChannelKind.EMERGENCY_PHONE,
            organisation__is_active=True,
            organisation__kind=OrganisationKind.YOUTH_OFFICE,
        )
        .select_related("organisation")
        .order_by("organisation__name", "position", "id")
    )


def coordinators_of(organisation_id: int) -> list[User]:
    """The active coordination (coordinators and administrators) of an organisation: who is told."""
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=organisation_id, is_active=True, role__in=[Role.COORDINATOR, Role.ADMIN]
        ).select_related("user")
    ]


def active_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).order_by("name")


def organisation_rows(organisations: QuerySet[Organisation]) -> QuerySet[Organisation, tuple[int, str]]:
    """(id, name) of each organisation, read as rows: for choice lists."""
    return organisations.values_list("pk", "name")


def organisations_of(user: User) -> QuerySet[Organisation]:
    """The active organisations the user works in (a data-protection officer's membership is for
    oversight, not case work: the services refuse it too)."""
    return Organisation.objects.filter(
        is_active=True, pk__in=Membership.objects.working().filter(user=user).values("organisation_id")
    )


def active_organisation_get(pk: int) -> Organisation:
    """An active organisation by id, without its directory details; 404 otherwise."""
    return get_object_or_404(Organisation, pk=pk, is_active=True)


def members_of(organisation: Organisation) -> list[Membership]:
    """The active members of an organisation read by ``organisation_get``."""
    members: list[Membership] = organisation.active_members  # type: ignore[attr-defined]  # Prefetch(to_attr=)
    return members


def organisation_for_edit(pk: int) -> Organisation:
    """A fresh copy for an edit form, so that a failed form does not change the page's organisation."""
    return Organisation.objects.get(pk=pk, is_active=True)


def jurisdiction_areas_of(youth_office: Organisation) -> list[JurisdictionArea]:
    return list(youth_office.jurisdiction_areas.all())


def active_membership_of(organisation: Organisation, pk: int) -> Membership:
    """An active membership of the organisation; 404 otherwise."""
    members = Membership.objects.select_related("user", "organisation", "unit")
    return get_object_or_404(members, pk=pk, organisation=organisation, is_active=True)


def membership_of(organisation: Organisation, pk: int) -> Membership:
    """A membership of the organisation, active or not (a service says why it does not fit); 404 else."""
    return get_object_or_404(Membership, pk=pk, organisation=organisation)


def active_membership_get(pk: int) -> Membership:
    """An active membership of an active organisation; 404 otherwise."""
    members = Membership.objects.select_related("user", "organisation", "unit")
    return get_object_or_404(members, pk=pk, is_active=True, organisation__is_active=True)


def unit_of(organisation: Organisation, pk: int) -> OrganisationUnit:
    return get_object_or_404(OrganisationUnit, pk=pk, organisation=organisation)


def contact_channel_of(organisation: Organisation, pk: int) -> ContactChannel:
    return get_object_or_404(ContactChannel, pk=pk, organisation=organisation)


def on_call_shift_of(organisation: Organisation, pk: int) -> OnCallShift:
    shifts = OnCallShift.objects.select_related("organisation")
    return get_object_or_404(shifts, pk=pk, organisation=organisation)


def on_call_shift_get(pk: int) -> OnCallShift:
    """A shift of an active organisation; 404 otherwise."""
    shifts = OnCallShift.objects.select_related("organisation", "membership__user")
    return get_object_or_404(shifts, pk=pk, organisation__is_active=True)


@dataclass(frozen=True)
class OnCallPlan:
    """The shifts of an organisation in a window from the current hour on, and the gaps between them."""

    start: datetime
    end: datetime
    shifts: list[OnCallShift]
    gaps: list[Gap]

    def on_call_at(self, at: datetime) -> list[OnCallShift]:
        return [s for s in self.shifts if s.starts_at <= at < s.ends_at]


def on_call_plan(organisation: Organisation, *, start: datetime, days: int) -> OnCallPlan:
    end = start + timedelta(days=days)
    shifts = on_call_shifts_between(organisation=organisation, start=start, end=end)
    return OnCallPlan(start, end, shifts, on_call_gaps(shifts, start=start, end=end))


def active_organisations_by_id(ids: set[int]) -> dict[int, Organisation]:
    return {o.pk: o for o in Organisation.objects.filter(pk__in=ids, is_active=True)}


def membership_get(pk: int) -> Membership:
    """A membership (active or not: the service says why it does not fit) with user and organisation."""
    return get_object_or_404(Membership.objects.select_related("user", "organisation"), pk=pk)


def organisations_acting_for(user: User) -> QuerySet[Organisation]:
    """The organisations the user may act for in network work: their own; the network
    administration acts for every organisation."""
    if policy.is_network_admin(user):
        return Organisation.objects.filter(is_active=True).order_by("name")
    own = [m.organisation_id for m in policy.active_memberships(user)]
    return Organisation.objects.filter(pk__in=own).order_by("name")


def sole_organisation_acting_for(user: User) -> int | None:
    """The one organisation the user acts for, if there is only one (to preselect it)."""
    acting = list(organisations_acting_for(user).values_list("pk", flat=True)[:2])
    return acting[0] if len(acting) == 1 else None


def invitable_memberships() -> QuerySet[Membership]:
    """Active people of active organisations, for invitation lists."""
    return (
        Membership.objects.filter(is_active=True, user__is_active=True, organisation__is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name")
    )


INVITE_PERSON, INVITE_UNIT, INVITE_ORGANISATION = "p", "u", "o"
INVITE_KIND_LABELS = {INVITE_PERSON: "Person", INVITE_UNIT: "Team", INVITE_ORGANISATION: "Organisation"}
INVITE_TOKEN_RE = re.compile(r"^([puo])([1-9][0-9]{0,9})$")


@dataclass(frozen=True)
class Invitable:
    """Someone to invite: a person (their membership), a team or a whole organisation. ``token``
    (kind letter and id, e.g. ``u12``) is what an invitation form submits."""

    kind: str
    pk: int
    label: str
    detail: str

    @property
    def token(self) -> str:
        return f"{self.kind}{self.pk}"

    @property
    def kind_label(self) -> str:
        return INVITE_KIND_LABELS[self.kind]

    @property
    def full_label(self) -> str:
        return f"{self.label} ({self.kind_label}, {self.detail})"


def _members_count() -> Count:
    return Count(
        "memberships",
        filter=Q(memberships__is_active=True, memberships__user__is_active=True)
        & ~Q(memberships__role=Role.DATA_PROTECTION),
    )


def _person(m: Membership) -> Invitable:
    detail = " · ".join(p for p in (m.organisation.name, m.job_title or m.get_role_display()) if p)
    return Invitable(INVITE_PERSON, m.pk, m.user.display_name, detail)


def _unit(u: OrganisationUnit) -> Invitable:
    count: int = getattr(u, "members_count", 0)
    return Invitable(INVITE_UNIT, u.pk, f"{u.name} – {u.organisation.name}", _people(count))


def _organisation(o: Organisation) -> Invitable:
    count: int = getattr(o, "members_count", 0)
    return Invitable(INVITE_ORGANISATION, o.pk, o.name, _people(count))


def _people(count: int) -> str:
    return "1 Person" if count == 1 else f"{count} Personen"


def _units() -> QuerySet[OrganisationUnit]:
    return (
        OrganisationUnit.objects.filter(organisation__is_active=True)
        .select_related("organisation")
        .annotate(members_count=_members_count())
    )


def _organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).annotate(members_count=_members_count())


def invitables_search(q: str, *, limit: int = 8) -> list[Invitable]:
    """People, teams and organisations whose names contain every word of ``q`` (at least two
    letters), for the invitation picker: at most ``limit`` of each, people first. A person is
    found by their name, narrowed by further words of their organisation's name."""
    terms = q.split()[:5]
    if len("".join(terms)) < 2:
        return []
    by_name = Q()
    person = Q()
    unit = Q()
    organisation = Q()
    for term in fold_words(" ".join(terms)):
        name = Q(user__search_key__contains=term)
        by_name |= name
        in_organisation = Q(organisation__search_key__contains=term) | Q(
            organisation__kind__in=_labels_matching(OrganisationKind, term)
        )
        person &= name | in_organisation
        unit &= Q(search_key__contains=term) | in_organisation
        organisation &= Q(search_key__contains=term) | Q(kind__in=_labels_matching(OrganisationKind, term))
    people = invitable_memberships().filter(person & by_name)[:limit]
    units = _units().filter(unit).order_by("organisation__name", "name")[:limit]
    organisations = _organisations().filter(organisation).order_by("name")[:limit]
    return [*map(_person, people), *map(_unit, units), *map(_organisation, organisations)]


def _parse_tokens(tokens: Iterable[str]) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {INVITE_PERSON: [], INVITE_UNIT: [], INVITE_ORGANISATION: []}
    for token in tokens:
        match = INVITE_TOKEN_RE.match(token)
        if match:
            ids[match[1]].append(int(match[2]))
    return ids


def invitables_by_token(tokens: Iterable[str]) -> dict[str, Invitable]:
    """The invitables that ``tokens`` name (unknown and malformed tokens are left out): at most
    one query per kind named."""
    ids = _parse_tokens(tokens)
    found: list[Invitable] = []
    if ids[INVITE_PERSON]:
        found += map(_person, invitable_memberships().filter(pk__in=ids[INVITE_PERSON]))
    if ids[INVITE_UNIT]:
        found += map(_unit, _units().filter(pk__in=ids[INVITE_UNIT]))
    if ids[INVITE_ORGANISATION]:
        found += map(_organisation, _organisations().filter(pk__in=ids[INVITE_ORGANISATION]))
    return {i.token: i for i in found}


def invitation_memberships(tokens: Sequence[str]) -> tuple[list[Membership], list[str]]:
    """The people that ``tokens`` invite, in one query, each once, and the tokens that invite
    nobody (unknown, inactive, malformed, or a team or organisation without active members).
    A team or an organisation invites its active members who work on cases, not its
    data-protection officer."""
    ids = _parse_tokens(tokens)
    whole = Q(unit_id__in=ids[INVITE_UNIT]) | Q(organisation_id__in=ids[INVITE_ORGANISATION])
    people = list(
        invitable_memberships().filter(Q(pk__in=ids[INVITE_PERSON]) | (whole & ~Q(role=Role.DATA_PROTECTION)))
    )
    working = [m for m in people if m.role != Role.DATA_PROTECTION]
    reached = (
        {f"{INVITE_PERSON}{m.pk}" for m in people}
        | {f"{INVITE_UNIT}{m.unit_id}" for m in working}
        | {f"{INVITE_ORGANISATION}{m.organisation_id}" for m in working}
    )
    return people, [t for t in tokens if t not in reached]


def active_members_of(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
