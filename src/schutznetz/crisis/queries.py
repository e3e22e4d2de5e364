"""Reads of the crisis protocol: who is to be alerted, the crises a user may see, the board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from schutznetz.cases.models import CaseRole, Participation, ParticipationStatus
from schutznetz.cases.policy import organisation_ids
from schutznetz.cases.queries import identity_participant_ids, takes_part_with_identity
from schutznetz.crisis import policy
from schutznetz.crisis.models import (
    Crisis,
    CrisisFunction,
    CrisisRecipient,
    CrisisStatus,
    CrisisUrgency,
    RecipientSource,
)
from schutznetz.network.agreements.queries import current_agreements, response_terms
from schutznetz.network.models import (
    CrisisRosterEntry,
    HandoverKind,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    Urgency,
)
from schutznetz.network.policy import active_memberships
from schutznetz.network.queries import on_call_at
from schutznetz.notify.models import Alert
from schutznetz.people.identity import GuardianIdentity, guardian_identity
from schutznetz.people.models import Guardian

if TYPE_CHECKING:
    from schutznetz.accounts.models import User
    from schutznetz.cases.models import Case
    from schutznetz.cases.policy import CaseAccess

LIST_LIMIT = 50

FUNCTION_OF_KIND = {
    OrganisationKind.YOUTH_OFFICE: CrisisFunction.YOUTH_OFFICE,
    OrganisationKind.CHILD_PSYCHIATRY_CLINIC: CrisisFunction.CHILD_PSYCHIATRY,
    OrganisationKind.AMBULANCE_SERVICE: CrisisFunction.AMBULANCE,
    OrganisationKind.CARE_PROVIDER: CrisisFunction.CARE_PROVIDER,
}
# The board lists the organisations in this order.
FUNCTION_ORDER = list(CrisisFunction.values)


@dataclass(frozen=True)
class Planned:
    """Whom to alert for one organisation: its person on call now, or its coordination."""

    function: str
    organisation: Organisation
    user: User | None
    phone: str
    source: str
    gap: bool
    respond_by: datetime


def respond_by(*, sender: Organisation, receiver: Organisation, urgency: str, at: datetime) -> datetime:
    """By when the receiver answers a crisis alert: the agreements' time for a crisis between the two
    (in minutes), or the network's default."""
    level = Urgency.URGENT if urgency == CrisisUrgency.ACUTE else Urgency.NORMAL
    return response_terms(
        sender=sender, receiver=receiver, kind=HandoverKind.CRISIS, urgency=level, received_at=at
    ).deadline


def _function(organisation: Organisation) -> str:
    return FUNCTION_OF_KIND.get(OrganisationKind(organisation.kind), CrisisFunction.OTHER)


def alert_plan(*, organisation: Organisation, case: Case | None, urgency: str, at: datetime) -> list[Planned]:
    """Everyone to alert for a crisis the organisation raises in the case: the organisations of the
    crisis roster of every agreement in force that binds it, and those taking part in the case with
    identity; for each, whoever is on call now, or — where nobody is — its coordination."""
    roster = CrisisRosterEntry.objects.filter(
        agreement__in=current_agreements([organisation.pk], timezone.localdate(at))
    ).values("organisation_id")
    organisations = list(
        Organisation.objects.filter(
            Q(pk__in=roster) | (Q(pk__in=identity_participant_ids(case.pk)) if case else Q(pk__in=[])),
            is_active=True,
        ).order_by("name")
    )
    ids = [o.pk for o in organisations]
    shifts = [s for s in on_call_at(organisation_ids=ids, at=at) if s.membership.user.is_active]
    coordination = list(
        Membership.objects.filter(
            organisation_id__in=ids,
            is_active=True,
            role__in=[Role.COORDINATOR, Role.ADMIN],
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__last_name", "pk")
    )
    # An organisation holding the guardianship in the case (Amts- or Vereinsvormundschaft) is alerted as
    # the legal representative, whatever its kind.
    guardianship = (
        set(
            Participation.objects.filter(
                case=case, role=CaseRole.GUARDIANSHIP, status=ParticipationStatus.ACTIVE
            ).values_list("organisation_id", flat=True)
        )
        if case
        else set()
    )
    plan: list[Planned] = []
    for o in organisations:
        function = CrisisFunction.GUARDIAN if o.pk in guardianship else _function(o)
        due = respond_by(sender=organisation, receiver=o, urgency=urgency, at=at)
        on_call = [s for s in shifts if s.organisation_id == o.pk]
        if on_call:
            plan += [
                Planned(function, o, s.membership.user, s.phone, RecipientSource.ON_CALL, False, due)
                for s in on_call
            ]
            continue
        fallback = [m for m in coordination if m.organisation_id == o.pk]
        plan += [
            Planned(function, o, m.user, m.phone, RecipientSource.COORDINATION, True, due) for m in fallback
        ]
        if not fallback:
            plan.append(Planned(function, o, None, o.phone, RecipientSource.COORDINATION, True, due))
    return sorted(plan, key=lambda p: (FUNCTION_ORDER.index(p.function), p.organisation.name))


def visible_crises(user: User) -> QuerySet[Crisis]:
    """The crises the user raised, was alerted for, or sees through the case."""
    alerted = CrisisRecipient.objects.filter(crisis=OuterRef("pk"), user=user)
    # Before it is joined to a case, the raising organisation's people follow it too.
    unjoined = Q(case__isnull=True, organisation_id__in=organisation_ids(user))
    return Crisis.objects.filter(
        Q(raised_by=user) | Q(Exists(alerted)) | Q(takes_part_with_identity(user, "case_id")) | unjoined
    )


def crisis_get_for(user: User, pk: UUID | str) -> Crisis:
    try:
        key = UUID(str(pk))
    except ValueError:
        raise Http404(policy.NOT_FOUND) from None
    crisis = (
        visible_crises(user)
        .select_related("case__child", "organisation", "raised_by", "emergency_call_by", "closed_by")
        .annotate(**{_SEES_CASE: takes_part_with_identity(user, "case_id")})
        .filter(pk=key)
        .first()
    )
    if crisis is None or not user.is_active:
        raise Http404(policy.NOT_FOUND)
    setattr(crisis, _SEES_CASE_USER, user.pk)
    return crisis


# Whether the user who read the crisis also sees its case, read with it (``sees_case``).
_SEES_CASE = "_sees_case"
_SEES_CASE_USER = "_sees_case_user"


@dataclass
class RecipientRow:
    recipient: CrisisRecipient
    alerts: list[Alert]
    overdue: bool = False  # unanswered past its time


@dataclass
class Board:
    crisis: Crisis
    rows: list[RecipientRow]
    mine: list[CrisisRecipient]  # the user's own parts in the crisis, to answer

    @property
    def answered(self) -> int:
        return sum(1 for r in self.rows if r.recipient.response)

    @property
    def gaps(self) -> list[RecipientRow]:
        return [r for r in self.rows if r.recipient.gap]


def board(user: User, crisis: Crisis) -> Board:
    """Who was alerted when, on which channel, with what result, and who answered (two queries)."""
    recipients = list(
        CrisisRecipient.objects.filter(crisis=crisis).select_related("organisation", "user").order_by("pk")
    )
    alerts: dict[str, list[Alert]] = {}
    for a in Alert.objects.filter(key__startswith=f"crisis:{crisis.pk}:").order_by("channel", "pk"):
        alerts.setdefault(a.key, []).append(a)
    now = timezone.now()
    answered = {r.organisation_id for r in recipients if r.response}
    rows = [
        RecipientRow(
            r,
            alerts.get(r.alert_key, []),
            r.respond_by <= now and not r.response and r.organisation_id not in answered,
        )
        for r in recipients
    ]
    rows.sort(key=lambda row: (FUNCTION_ORDER.index(row.recipient.function), row.recipient.pk))
    return Board(crisis, rows, [r for r in recipients if r.user_id == user.pk])


def crises_of_case(access: CaseAccess) -> list[Crisis]:
    return list(
        Crisis.objects.filter(case=access.case)
        .select_related("organisation", "raised_by")
        .order_by("-raised_at")[:LIST_LIMIT]
    )


def crisis_list_for(user: User) -> list[Crisis]:
    """Open crises first (the newest first), then the last closed ones; ``awaiting`` marks those
    where the user's own answer is still missing. One query, bounded."""
    awaiting = CrisisRecipient.objects.filter(crisis=OuterRef("pk"), user=user, response="")
    return list(
        visible_crises(user)
        .annotate(awaiting=Exists(awaiting))
        .select_related("case__child", "organisation")
        .order_by("-status", "-raised_at")[:LIST_LIMIT]
    )


def open_crises_alerted(user: User, limit: int = 5) -> list[Crisis]:
    """Open crises the user was alerted for, for the start page; ``awaiting`` marks those still
    waiting for the user's answer (one query, bounded)."""
    mine = CrisisRecipient.objects.filter(crisis=OuterRef("pk"), user=user)
    return list(
        Crisis.objects.filter(status=CrisisStatus.OPEN)
        .filter(Exists(mine))
        .annotate(awaiting=Exists(mine.filter(response="")))
        .select_related("case__child", "organisation")
        .order_by("-raised_at")[:limit]
    )


def open_crisis_of_case(case: Case) -> Crisis | None:
    return Crisis.objects.filter(case=case, status=CrisisStatus.OPEN).first()


def sees_case(user: User, crisis: Crisis) -> bool:
    """Whether the user also sees the case (alerted people outside it see the crisis only); no query
    where ``crisis_get_for`` read it for this user."""
    if getattr(crisis, _SEES_CASE_USER, None) == user.pk:
        return bool(getattr(crisis, _SEES_CASE))
    return Crisis.objects.filter(pk=crisis.pk).filter(takes_part_with_identity(user, "case_id")).exists()


def escalation_plan(*, crisis: Crisis, organisation: Organisation, step: int, at: datetime) -> list[Planned]:
    """Whom to alert next when nobody of the organisation answered in time: first whoever else is on
    call now and its coordination; after that every other member who works there. Nobody twice."""
    earlier = list(
        CrisisRecipient.objects.filter(crisis=crisis, organisation=organisation)
        .order_by("pk")
        .values_list("user_id", "function")
    )
    alerted = {user_id for user_id, _ in earlier if user_id is not None}
    # Whom the escalation reaches acts in the part their organisation was alerted for (the case's
    # Vormund stays Vormund, whatever kind of organisation it is).
    function = earlier[0][1] if earlier else _function(organisation)
    due = respond_by(sender=crisis.organisation, receiver=organisation, urgency=crisis.urgency, at=at)
    members = list(
        Membership.objects.working()
        .filter(organisation=organisation, user__is_active=True)
        .exclude(user_id__in=alerted)
        .select_related("user")
        .order_by("user__last_name", "pk")
    )
    if step == 1:
        plan = [
            Planned(function, organisation, s.membership.user, s.phone, RecipientSource.ON_CALL, False, due)
            for s in on_call_at(organisation_ids=[organisation.pk], at=at)
            if s.membership.user_id not in alerted and s.membership.user.is_active
        ]
        plan += [
            Planned(function, organisation, m.user, m.phone, RecipientSource.COORDINATION, False, due)
            for m in members
            if m.role in (Role.COORDINATOR, Role.ADMIN)
            and m.user_id not in {p.user.pk for p in plan if p.user}
        ]
        if plan:
            return plan
    return [
        Planned(function, organisation, m.user, m.phone, RecipientSource.MEMBER, False, due) for m in members
    ]


def due_escalations(at: datetime) -> list[tuple[UUID, int]]:
    """(crisis, organisation) of open crises where an alert's time has passed without a next step."""
    return list(
        CrisisRecipient.objects.filter(
            crisis__status=CrisisStatus.OPEN, escalated_at__isnull=True, respond_by__lte=at
        )
        .values_list("crisis_id", "organisation_id")
        .distinct()
    )


def clinics() -> list[tuple[int, str]]:
    """The network's child-psychiatry clinics, for the choice where a young person was admitted."""
    return list(
        Organisation.objects.filter(kind=OrganisationKind.CHILD_PSYCHIATRY_CLINIC, is_active=True)
        .order_by("name")
        .values_list("pk", "name")
    )


@dataclass(frozen=True)
class GuardianContact:
    guardian_id: int
    relation: str
    identity: GuardianIdentity


def guardian_contacts(user: User, crisis: Crisis, *, board: Board, sees_case: bool) -> list[GuardianContact]:
    """The child's persons with custody and legal representatives, for those who inform them: the
    Jugendamt's people alerted for the crisis and the case's participants with identity. Nobody
    else (an ambulance service or a clinic alerted from outside the case) sees them."""
    alerted_for_youth_office = any(r.function == CrisisFunction.YOUTH_OFFICE for r in board.mine)
    if crisis.case is None or (not alerted_for_youth_office and not sees_case):
        return []
    return [
        GuardianContact(g.pk, g.get_relation_display(), guardian_identity(g))
        for g in Guardian.objects.filter(child_id=crisis.case.child_id).order_by("pk")
    ]


def case_by_pseudonym(user: User, pseudonym: str) -> CaseAccess | None:
    """A case the user works on with identity, found by its child's pseudonym (to join a crisis)."""
    from schutznetz.cases.models import Case as CaseModel
    from schutznetz.cases.queries import case_get_for

    found = (
        CaseModel.objects.filter(child__pseudonym=pseudonym.strip().upper())
        .filter(takes_part_with_identity(user, "pk"))
        .values_list("pk", flat=True)
        .first()
    )
    return case_get_for(user, found) if found else None


def raising_organisations(user: User) -> list[tuple[int, str]]:
    """The organisations the user may raise a crisis for."""
    return [(m.organisation_id, m.organisation.name) for m in active_memberships(user)]
