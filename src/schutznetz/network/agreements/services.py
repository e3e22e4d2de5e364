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
from django.urls import reverse
from django.utils import timezone

from schutznetz.audit.models import AuditAction
from schutznetz.audit.services import audit_object
from schutznetz.network import policy as network_policy
from schutznetz.network.agreements import policy
from schutznetz.network.agreements.queries import DEFAULT_STATE
from schutznetz.network.models import (
    AgreementAcceptance,
    AgreementClause,
    CooperationAgreement,
    CrisisRosterEntry,
    Organisation,
)
from schutznetz.network.queries import coordinators_of
from schutznetz.notify.services import notify

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
MSG_NOTHING_TO_ACCEPT = (
    "Ihre Organisation hat dieser Vereinbarung bereits zugestimmt oder ist keine Vertragspartei."
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
    agreement = _save(agreement, parties, clauses, crisis_roster or [], document)
    _accept_for_actor(actor, agreement)
    return agreement


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
    successor = _save(successor, parties, clauses, roster, document)
    _accept_for_actor(actor, successor)
    return successor


def _accept_for_actor(actor: User, agreement: CooperationAgreement) -> None:
    """The party (or parties) the actor coordinates consent by recording the agreement. The network
    administration records agreements signed on paper: for all parties."""
    parties = list(agreement.parties.all())
    consenting = (
        parties
        if network_policy.is_network_admin(actor)
        else [p for p in parties if network_policy.can_manage_organisation(actor, p)]
    )
    _record_acceptances(actor, agreement, consenting, parties)
    if agreement.in_force_since is None:
        notify(
            recipients=[u for p in parties if p not in consenting for u in coordinators_of(p.pk)],
            kind="agreement_proposed",
            title=f"Vereinbarung zur Zustimmung: {agreement.title}",
            body=(
                f"{actor.display_name} hat die Vereinbarung „{agreement.title}“ "
                f"(Version {agreement.version}) eingetragen. Sie gilt erst, wenn alle Vertragsparteien "
                "zugestimmt haben."
            ),
            url=reverse("network:agreement", args=[agreement.pk]),
        )


def _record_acceptances(
    actor: User, agreement: CooperationAgreement, consenting: list[Organisation], parties: list[Organisation]
) -> None:
    now = timezone.now()
    done = set(agreement.acceptances.values_list("organisation_id", flat=True))
    for organisation in consenting:
        if organisation.pk not in done:
            AgreementAcceptance.objects.create(
                agreement=agreement, organisation=organisation, accepted_by=actor, accepted_at=now
            )
            audit_object(
                actor,
                organisation.pk,
                AuditAction.UPDATE,
                agreement,
                "Vereinbarung zugestimmt",
                version=agreement.version,
            )
            done.add(organisation.pk)
    if {p.pk for p in parties} <= done and agreement.in_force_since is None:
        agreement.in_force_since = now
        agreement.save(update_fields=["in_force_since"])
        predecessor = agreement.predecessor
        if predecessor is not None and (
            predecessor.valid_until is None or predecessor.valid_until >= agreement.valid_from
        ):
            # The old version ends the day before the new one starts, once the new one is agreed.
            predecessor.valid_until = agreement.valid_from - timedelta(days=1)
            predecessor.save(update_fields=["valid_until"])
        notify(
            recipients=[u for p in parties for u in coordinators_of(p.pk)],
            kind="agreement_in_force",
            title=f"Vereinbarung in Kraft: {agreement.title}",
            body=(
                "Alle Vertragsparteien haben zugestimmt; die Vereinbarung gilt ab "
                f"{agreement.valid_from:%d.%m.%Y}."
            ),
            url=reverse("network:agreement", args=[agreement.pk]),
        )


@transaction.atomic
def agreement_accept(*, actor: User, agreement: CooperationAgreement) -> CooperationAgreement:
    """The coordination of a party consents to the agreement version; the last consent puts it in force."""
    agreement = CooperationAgreement.objects.select_for_update().get(pk=agreement.pk)
    parties = list(agreement.parties.all())
    mine = [p for p in parties if network_policy.can_manage_organisation(actor, p)]
    accepted = set(agreement.acceptances.values_list("organisation_id", flat=True))
    pending = [p for p in mine if p.pk not in accepted]
    if not pending:
        raise ValidationError(MSG_NOTHING_TO_ACCEPT)
    _record_acceptances(actor, agreement, pending, parties)
    return agreement
