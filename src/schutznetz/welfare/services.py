"""Writes of the youth-welfare pathway. Each writes the audit trail and the case's timeline."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from schutznetz.audit.models import AuditAction
from schutznetz.audit.services import audit_object
from schutznetz.cases import queries as case_queries
from schutznetz.cases.models import Case
from schutznetz.cases.services import FirstTask, case_create, task_create, timeline_add
from schutznetz.network.agreements.queries import response_terms
from schutznetz.network.models import HandoverKind, Organisation, OrganisationKind, Urgency
from schutznetz.people.identity import ChildIdentity
from schutznetz.people.vault import get_vault
from schutznetz.welfare import policy, queries
from schutznetz.welfare.models import Intake, IntakeSource

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

MSG_YOUTH_OFFICE = "Bitte ein Jugendamt wählen, für das Sie tätig sind."
MSG_SOURCE = "Bitte angeben, durch wen die mögliche Gefährdung bekannt wurde."
MSG_URGENCY = "Bitte die Dringlichkeit angeben."
MSG_ACCOUNT = "Bitte festhalten, was mitgeteilt wurde."
MSG_FUTURE = "Der Eingang liegt in der Zukunft."
MSG_REPORTER = (
    "Bitte Name oder Erreichbarkeit der meldenden Person angeben oder die Meldung als anonym kennzeichnen."
)
MSG_REPORTER_ORGANISATION = "Diese Organisation gehört nicht zum Netzwerk."
MSG_CHILD_OR_CASE = "Bitte das Kind angeben oder die Meldung einem Fall Ihres Jugendamts zuordnen."
MSG_NOT_OURS = "Diesen Fall führt oder begleitet Ihr Jugendamt nicht mit Personenbezug."
MSG_DUPLICATE = (
    "Möglicherweise ist das Kind bereits bekannt: {matches}. Bitte die Meldung diesem Fall zuordnen oder "
    "bestätigen, dass es sich um ein anderes Kind handelt."
)
MSG_CONTACTED = "Der Erstkontakt ist bereits vermerkt."


@dataclass(frozen=True)
class IntakeInput:
    youth_office_id: int
    source: str
    urgency: str
    account: str
    received_at: datetime | None = None
    reporter_anonymous: bool = False
    reporter_name: str = ""
    reporter_contact: str = ""
    reporter_organisation_id: int | None = None
    child: ChildIdentity | None = None  # a child not yet known: a new case
    join_case: UUID | None = None  # or a case the Jugendamt already takes part in
    confirm_new: bool = False  # a new case although similar children are known


def _check(actor: User, data: IntakeInput, now: datetime) -> tuple[Organisation, Organisation | None]:
    errors: dict[str, str] = {}
    office = Organisation.objects.filter(
        pk=data.youth_office_id, is_active=True, kind=OrganisationKind.YOUTH_OFFICE
    ).first()
    if office is None or not policy.can_work_intake(actor, office.pk):
        errors["youth_office"] = MSG_YOUTH_OFFICE
    if data.source not in IntakeSource.values:
        errors["source"] = MSG_SOURCE
    if data.urgency not in Urgency.values:
        errors["urgency"] = MSG_URGENCY
    if not data.account.strip():
        errors["account"] = MSG_ACCOUNT
    if data.received_at and data.received_at > now + timedelta(minutes=5):
        errors["received_at"] = MSG_FUTURE
    anonymous = data.reporter_anonymous or data.source == IntakeSource.ANONYMOUS
    if not anonymous and not (data.reporter_name.strip() or data.reporter_contact.strip()):
        errors["reporter_name"] = MSG_REPORTER
    reporter_organisation = None
    if data.reporter_organisation_id is not None:
        reporter_organisation = Organisation.objects.filter(
            pk=data.reporter_organisation_id, is_active=True
        ).first()
        if reporter_organisation is None:
            errors["reporter_organisation"] = MSG_REPORTER_ORGANISATION
    if (data.child is None) == (data.join_case is None):
        errors["join_case"] = MSG_CHILD_OR_CASE
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    assert office is not None
    return office, reporter_organisation


def _joined_case(actor: User, office: Organisation, case_id: UUID) -> Case:
    access = case_queries.case_get_for(actor, case_id)
    if not access.sees_identity or access.organisation_id != office.pk or not access.case.is_open:
        raise ValidationError({"join_case": [MSG_NOT_OURS]})
    return access.case


def _refuse_duplicates(actor: User, identity: ChildIdentity) -> None:
    matches = queries.possible_duplicates(actor, identity)
    if matches:
        named = "; ".join(
            f"Fall {case.child.pseudonym} ({case.title}, {case.lead_organisation.name})"
            for match in matches
            for case in match.cases
        )
        raise ValidationError({"confirm_new": [MSG_DUPLICATE.format(matches=named)]}, code="duplicate")


@transaction.atomic
def intake_record(*, actor: User, data: IntakeInput) -> Intake:
    """Record a report (Meldungseingang): it opens a case led by the Jugendamt, or joins one it takes
    part in; first contact is due within the agreements' response time for the urgency; the person who
    reported is sealed."""
    now = timezone.now()
    office, reporter_organisation = _check(actor, data, now)
    received_at = data.received_at or now
    terms = response_terms(
        sender=reporter_organisation or office,
        receiver=office,
        kind=HandoverKind.REPORT_TO_YOUTH_OFFICE,
        urgency=data.urgency,
        received_at=received_at,
    )
    due_day = max(timezone.localdate(now), timezone.localdate(terms.deadline))
    source = IntakeSource(data.source)
    first_step = "Erstkontakt und Ersteinschätzung zur Meldung"
    if data.join_case is not None:
        case = _joined_case(actor, office, data.join_case)
        access = case_queries.case_get_for(actor, case.pk)
        task_create(actor=actor, access=access, title=first_step, owner=actor, due_date=due_day)
    else:
        assert data.child is not None
        if not data.confirm_new:
            _refuse_duplicates(actor, data.child)
        case = case_create(
            actor=actor,
            organisation=office,
            title=f"Meldung: {source.label}",
            identity=data.child,
            first_task=FirstTask(first_step, due_day),
        )
    anonymous = data.reporter_anonymous or source == IntakeSource.ANONYMOUS
    intake = Intake(
        id=uuid.uuid4(),
        youth_office=office,
        case=case,
        recorded_by=actor,
        received_at=received_at,
        source=source,
        urgency=data.urgency,
        account=data.account.strip(),
        reporter_organisation=reporter_organisation,
        reporter_anonymous=anonymous,
        due_at=terms.deadline,
    )
    if not anonymous:
        record = {"name": data.reporter_name.strip(), "contact": data.reporter_contact.strip()}
        intake.reporter_key_id, intake.reporter_sealed = get_vault().seal_bytes(
            json.dumps(record).encode(), kind=queries.REPORTER_KIND, row_id=intake.pk
        )
    intake.save(force_insert=True)
    audit_object(actor, office.pk, AuditAction.CREATE, intake, "Meldung aufnehmen", case_id=case.pk)
    due = timezone.localtime(terms.deadline)
    timeline_add(
        case,
        actor,
        office.pk,
        "intake",
        f"Meldung eingegangen ({source.label}, {Urgency(data.urgency).label}); "
        f"Erstkontakt fällig bis {due:%d.%m.%Y %H:%M}.",
    )
    return intake


def intake_record_read(*, actor: User, detail: queries.IntakeDetail, purpose: str) -> None:
    """Showing a report shows the child and (unless anonymous) who reported: a read on the trail."""
    intake = detail.intake
    audit_object(
        actor,
        intake.youth_office_id,
        AuditAction.READ,
        intake,
        purpose,
        case_id=intake.case_id,
        persons={"child": intake.case.child.pseudonym, "reporter": detail.reporter is not None},
    )


@transaction.atomic
def intake_first_contact(*, actor: User, intake: Intake, note: str = "") -> Intake:
    """First contact made (with the family, the child or the reporter): the deadline is met."""
    policy.require_read_intake(actor, intake.youth_office_id)
    intake = Intake.objects.select_for_update().select_related("case").get(pk=intake.pk)
    if intake.is_contacted:
        raise ValidationError({"note": [MSG_CONTACTED]})
    now = timezone.now()
    intake.first_contact_at, intake.first_contact_by = now, actor
    intake.first_contact_note = note.strip()[:300]
    intake.save(update_fields=["first_contact_at", "first_contact_by", "first_contact_note"])
    audit_object(
        actor,
        intake.youth_office_id,
        AuditAction.UPDATE,
        intake,
        "Erstkontakt vermerken",
        case_id=intake.case_id,
    )
    late = " (nach Ablauf der Frist)" if now > intake.due_at else ""
    timeline_add(
        intake.case, actor, intake.youth_office_id, "intake", f"Erstkontakt zur Meldung erfolgt{late}."
    )
    return intake
