"""Cooperation agreements: creating and revising them, and the one place response times come from.

``response_terms`` answers "what response time and which contact apply between organisation A and
B for hand-over kind K at urgency U?". Every deadline in Schutznetz is computed here.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import holidays
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from schutznetz.network import policy
from schutznetz.network.models import (
    AgreementClause,
    CooperationAgreement,
    CrisisRosterEntry,
    Organisation,
    ResponseUnit,
    Urgency,
)

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

# Without an agreement: urgent hand-overs are acknowledged within one hour, normal ones within one
# working day (the network's minimum standard; agreements may promise more, never less is enforced).
DEFAULT_TERMS = {Urgency.URGENT: (1, ResponseUnit.HOURS), Urgency.NORMAL: (1, ResponseUnit.WORKING_DAYS)}
DEFAULT_STATE = "NW"
# A hand-over received on a day off counts as received at this time of the next working day.
WORKING_DAY_START = time(8, 0)

MSG_PARTIES = "Eine Kooperationsvereinbarung braucht mindestens zwei Vertragsparteien."
MSG_NOT_A_PARTY = "Sie können nur Vereinbarungen Ihrer eigenen Organisation anlegen oder ändern."
MSG_VALID_UNTIL = "Das Ende der Gültigkeit muss nach ihrem Beginn liegen."
MSG_RESPONSIBLE = "Verantwortlich kann nur eine Vertragspartei sein."
MSG_RESPONSE_VALUE = "Die Reaktionszeit muss größer als 0 sein."
MSG_DUPLICATE_CLAUSE = "Diese Übergabe ist für dieselbe Dringlichkeit und Stelle doppelt geregelt."
MSG_OVERLAP = (
    "Die Vereinbarung „{title}“ (Version {version}) regelt dieselbe Übergabe zwischen denselben Parteien "
    "im selben Zeitraum. Bitte stattdessen eine neue Version dieser Vereinbarung anlegen."
)
MSG_NOT_PDF = "Bitte das unterzeichnete Dokument als PDF hochladen."
MSG_TOO_LARGE = "Das Dokument darf höchstens 20 MB groß sein."
MSG_REVISION_DATE = "Die neue Version muss nach dem Beginn der bisherigen Version gelten."
MSG_ALREADY_REVISED = "Von dieser Version gibt es bereits eine neuere."
MAX_DOCUMENT = 20 * 1024 * 1024


@functools.cache
def _holidays(state: str, year: int) -> holidays.HolidayBase:
    return holidays.Germany(subdiv=state, years=year, language="de")


def is_working_day(day: date, state: str) -> bool:
    return day.weekday() < 5 and day not in _holidays(state, day.year)


def deadline(start: datetime, value: int, unit: str, state: str) -> datetime:
    """The moment a response is due. Working days skip weekends and the Land's public holidays;
    a hand-over received on a day off counts from the start of the next working day."""
    if unit == ResponseUnit.HOURS:
        return start + timedelta(hours=value)
    if unit == ResponseUnit.CALENDAR_DAYS:
        return start + timedelta(days=value)
    local = timezone.localtime(start)
    day, clock = local.date(), local.time()
    if not is_working_day(day, state):
        while not is_working_day(day, state):
            day += timedelta(days=1)
        clock = WORKING_DAY_START
    remaining = value
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, state):
            remaining -= 1
    return timezone.make_aware(datetime.combine(day, clock), timezone.get_current_timezone())


@dataclass(frozen=True)
class ResponseTerms:
    value: int
    unit: str
    deadline: datetime
    contact_channel: str
    agreement: CooperationAgreement | None  # None: the default applies

    @property
    def is_default(self) -> bool:
        return self.agreement is None

    @property
    def label(self) -> str:
        return f"{self.value} {ResponseUnit(self.unit).label}"


def current_agreements(organisation_ids: list[int], on: date):  # type: ignore[no-untyped-def]
    """Agreement versions in force on a day that all the given organisations are party to."""
    qs = CooperationAgreement.objects.filter(valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )
    for organisation_id in organisation_ids:
        qs = qs.filter(parties=organisation_id)
    return qs


def response_terms(
    *,
    sender: Organisation,
    receiver: Organisation,
    kind: str,
    urgency: str,
    received_at: datetime | None = None,
) -> ResponseTerms:
    """The promised response of ``receiver`` to a hand-over from ``sender``.

    Without an agreement in force, ``DEFAULT_TERMS`` apply (with the receiver's Land for holidays).
    """
    received_at = received_at or timezone.now()
    on = timezone.localdate(received_at)
    clause = (
        AgreementClause.objects.filter(
            agreement__in=current_agreements([sender.pk, receiver.pk], on),
            handover_kind=kind,
            urgency=urgency,
            responsible=receiver,
        )
        .select_related("agreement")
        .order_by("-agreement__valid_from", "-agreement__version")
        .first()
    )
    if clause is None:
        value, unit = DEFAULT_TERMS[Urgency(urgency)]
        state = receiver.state or DEFAULT_STATE
        return ResponseTerms(value, unit, deadline(received_at, value, unit, state), receiver.phone, None)
    agreement = clause.agreement
    return ResponseTerms(
        clause.response_value,
        clause.response_unit,
        deadline(received_at, clause.response_value, clause.response_unit, agreement.state),
        clause.contact_channel or receiver.phone,
        agreement,
    )


@dataclass(frozen=True)
class ClauseInput:
    handover_kind: str
    urgency: str
    responsible: Organisation
    response_value: int
    response_unit: str
    contact_channel: str = ""


def _document_checksum(document: UploadedFile | None) -> str:
    if document is None:
        return ""
    if document.size and document.size > MAX_DOCUMENT:
        raise ValidationError({"document": [MSG_TOO_LARGE]})
    head = document.read(5)
    document.seek(0)
    if head != b"%PDF-":
        raise ValidationError({"document": [MSG_NOT_PDF]})
    digest = hashlib.sha256()
    for chunk in document.chunks():
        digest.update(chunk)
    document.seek(0)
    return digest.hexdigest()


def _validate(
    actor: User,
    parties: list[Organisation],
    valid_from: date,
    valid_until: date | None,
    clauses: list[ClauseInput],
) -> None:
    if len({p.pk for p in parties}) < 2:
        raise ValidationError({"parties": [MSG_PARTIES]})
    if not any(policy.can_manage_organisation(actor, p) for p in parties):
        raise PermissionDenied(MSG_NOT_A_PARTY)
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": [MSG_VALID_UNTIL]})
    party_ids = {p.pk for p in parties}
    seen = set()
    for clause in clauses:
        if clause.responsible.pk not in party_ids:
            raise ValidationError({"clauses": [MSG_RESPONSIBLE]})
        if clause.response_value <= 0:
            raise ValidationError({"clauses": [MSG_RESPONSE_VALUE]})
        key = (clause.handover_kind, clause.urgency, clause.responsible.pk)
        if key in seen:
            raise ValidationError({"clauses": [MSG_DUPLICATE_CLAUSE]})
        seen.add(key)


def _check_overlap(
    parties: list[Organisation],
    valid_from: date,
    valid_until: date | None,
    clauses: list[ClauseInput],
    exclude: CooperationAgreement | None = None,
) -> None:
    """Two agreements in force at the same time must not regulate the same hand-over between the same
    parties: they overlap when they share the responsible party and at least one other party. A
    youth office may promise the same to many practices in separate agreements."""
    keys = {(c.handover_kind, c.urgency, c.responsible.pk) for c in clauses}
    others = (
        CooperationAgreement.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
        .filter(parties__in=[p.pk for p in parties])
        .distinct()
    )
    if valid_until is not None:
        others = others.filter(valid_from__lte=valid_until)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    party_ids = {p.pk for p in parties}
    for other in others.prefetch_related("clauses", "parties"):
        shared = party_ids & {p.pk for p in other.parties.all()}
        if len(shared) < 2:
            continue
        for clause in other.clauses.all():
            if (
                clause.responsible_id in shared
                and (clause.handover_kind, clause.urgency, clause.responsible_id) in keys
            ):
                raise ValidationError(
                    {"valid_from": [MSG_OVERLAP.format(title=other.title, version=other.version)]}
                )


def _save(
    agreement: CooperationAgreement,
    parties: list[Organisation],
    clauses: list[ClauseInput],
    crisis_roster: list[tuple[Organisation, str]],
    document: UploadedFile | None,
) -> CooperationAgreement:
    agreement.document_sha256 = _document_checksum(document)
    if document is not None:
        agreement.document = document
    agreement.save()
    agreement.parties.set(parties)
    AgreementClause.objects.bulk_create(
        AgreementClause(
            agreement=agreement,
            handover_kind=c.handover_kind,
            urgency=c.urgency,
            responsible=c.responsible,
            response_value=c.response_value,
            response_unit=c.response_unit,
            contact_channel=c.contact_channel.strip(),
        )
        for c in clauses
    )
    party_ids = {p.pk for p in parties}
    CrisisRosterEntry.objects.bulk_create(
        CrisisRosterEntry(agreement=agreement, organisation=o, role=r)
        for o, r in crisis_roster
        if o.pk in party_ids
    )
    return agreement


@transaction.atomic
def agreement_create(
    *,
    actor: User,
    title: str,
    parties: list[Organisation],
    valid_from: date,
    valid_until: date | None = None,
    state: str = DEFAULT_STATE,
    clauses: list[ClauseInput] | None = None,
    crisis_roster: list[tuple[Organisation, str]] | None = None,
    document: UploadedFile | None = None,
) -> CooperationAgreement:
    """Record a cooperation agreement with its clauses and crisis roster (version 1)."""
    clauses = clauses or []
    _validate(actor, parties, valid_from, valid_until, clauses)
    _check_overlap(parties, valid_from, valid_until, clauses)
    agreement = CooperationAgreement(
        title=title.strip(), valid_from=valid_from, valid_until=valid_until, state=state, created_by=actor
    )
    return _save(agreement, parties, clauses, crisis_roster or [], document)


@transaction.atomic
def agreement_revise(
    *,
    actor: User,
    agreement: CooperationAgreement,
    valid_from: date,
    clauses: list[ClauseInput],
    valid_until: date | None = None,
    crisis_roster: list[tuple[Organisation, str]] | None = None,
    document: UploadedFile | None = None,
) -> CooperationAgreement:
    """A new version from ``valid_from``; the old version ends the day before and stays readable."""
    current = CooperationAgreement.objects.select_for_update().get(pk=agreement.pk)
    if CooperationAgreement.objects.filter(predecessor=current).exists():
        raise ValidationError({"valid_from": [MSG_ALREADY_REVISED]})
    if valid_from <= current.valid_from:
        raise ValidationError({"valid_from": [MSG_REVISION_DATE]})
    parties = list(current.parties.all())
    _validate(actor, parties, valid_from, valid_until, clauses)
    if current.valid_until is None or current.valid_until >= valid_from:
        current.valid_until = valid_from - timedelta(days=1)
        current.save(update_fields=["valid_until"])
    _check_overlap(parties, valid_from, valid_until, clauses, exclude=current)
    successor = CooperationAgreement(
        title=current.title,
        valid_from=valid_from,
        valid_until=valid_until,
        state=current.state,
        version=current.version + 1,
        predecessor=current,
        created_by=actor,
    )
    roster = (
        crisis_roster
        if crisis_roster is not None
        else [(e.organisation, e.role) for e in current.crisis_roster.all()]
    )
    return _save(successor, parties, clauses, roster, document)
