"""Writes to agreements: recording an agreement with its clauses and crisis roster, new versions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q

from schutznetz.network.agreements import policy
from schutznetz.network.agreements.queries import DEFAULT_STATE
from schutznetz.network.models import AgreementClause, CooperationAgreement, CrisisRosterEntry, Organisation

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

MSG_NOT_A_PARTY = policy.MSG_NOT_A_PARTY
MSG_PARTIES = "Eine Kooperationsvereinbarung braucht mindestens zwei Vertragsparteien."
MSG_VALID_UNTIL = "Das Ende der Gültigkeit muss nach ihrem Beginn liegen."
MSG_RESPONSIBLE = "Verantwortlich kann nur eine Vertragspartei sein."
MSG_RESPONSE_VALUE = "Die Reaktionszeit muss größer als 0 sein."
MSG_DUPLICATE_CLAUSE = "Diese Übergabe ist für dieselbe Dringlichkeit und Stelle doppelt geregelt."
MSG_OVERLAP = (
    "Die Vereinbarung „{title}“ (Version {version}) regelt dieselbe Übergabe zwischen denselben Parteien "
    "im selben Zeitraum. Bitte stattdessen eine neue Version dieser Vereinbarung anlegen."
)
MSG_OVERLAP_UNNAMED = (
    "Eine andere Vereinbarung regelt dieselbe Übergabe zwischen diesen Parteien im selben Zeitraum. "
    "Bitte wenden Sie sich an die Koordination der beteiligten Organisationen."
)
MSG_NOT_PDF = "Bitte das unterzeichnete Dokument als PDF hochladen."
MSG_TOO_LARGE = "Das Dokument darf höchstens 20 MB groß sein."
MSG_REVISION_DATE = "Die neue Version muss nach dem Beginn der bisherigen Version gelten."
MSG_ALREADY_REVISED = "Von dieser Version gibt es bereits eine neuere."
MAX_DOCUMENT = 20 * 1024 * 1024


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
    policy.require_party(actor, parties)
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


def _overlap_message(actor: User, other: CooperationAgreement) -> str:
    """Name the other agreement only to those who may read it (its parties, the administration)."""
    if policy.acts_for_either(actor, *other.parties.all()):
        return MSG_OVERLAP.format(title=other.title, version=other.version)
    return MSG_OVERLAP_UNNAMED


def _check_overlap(
    actor: User,
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
                raise ValidationError({"valid_from": [_overlap_message(actor, other)]})


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
    _check_overlap(actor, parties, valid_from, valid_until, clauses)
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
    _check_overlap(actor, parties, valid_from, valid_until, clauses, exclude=current)
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
