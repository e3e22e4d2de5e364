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
from schutznetz.cases.models import Case, CaseState
from schutznetz.cases.services import FirstTask, case_create, state_advance, task_create, timeline_add
from schutznetz.network.agreements.queries import response_terms
from schutznetz.network.models import HandoverKind, Organisation, OrganisationKind, Urgency
from schutznetz.people.identity import ChildIdentity
from schutznetz.people.vault import get_vault
from schutznetz.welfare import policy, queries
from schutznetz.welfare.models import (
    ENDANGERED,
    AreaRating,
    AssessmentSignature,
    AssessmentVersion,
    DangerFrom,
    Endangerment,
    Intake,
    IntakeSource,
    Outcome,
    RiskAssessment,
)

if TYPE_CHECKING:
    from schutznetz.accounts.models import User
    from schutznetz.cases.policy import CaseAccess

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


# The risk assessment (§ 8a Abs. 1 SGB VIII): versions, four eyes.

MSG_OUTCOME = "Bitte das Ergebnis der Gefährdungseinschätzung angeben."
MSG_ENDANGERMENTS = (
    "Bei einer akuten oder latenten Kindeswohlgefährdung bitte die Art(en) der Gefährdung angeben."
)
MSG_DANGER_FROM = "Bei einer akuten oder latenten Kindeswohlgefährdung bitte angeben, von wem sie ausgeht."
MSG_NOT_ENDANGERED = (
    "Arten der Gefährdung und Gefährdende gibt es nur bei einer akuten oder latenten Gefährdung."
)
MSG_AREA = "Unbekannter Bereich „{code}“."
MSG_RATING = "Unbekannte Einschätzung „{value}“ im Bereich {area}."
MSG_CHOICE = "Unbekannter Wert „{value}“."
MSG_SIGNED = (
    "Sie haben diese Fassung bereits unterzeichnet; die zweite Unterschrift kommt von einer anderen "
    "Fachkraft."
)
MSG_NOT_CURRENT = "Unterzeichnet wird die geltende Fassung."
MSG_CHANGE_NOTE = "Bitte angeben, was korrigiert wird und warum."


@dataclass(frozen=True)
class AssessmentInput:
    outcome: str
    areas: dict[str, dict[str, str]]  # {code: {"rating": ..., "note": ...}}
    endangerments: list[str]
    danger_from: list[str]
    home_visit_at: datetime | None = None
    child_seen_at: datetime | None = None
    child_seen_by: str = ""
    sources: str = ""
    reporter_involved: bool = False
    repeat_report: bool = False


def _clean_assessment(data: AssessmentInput) -> dict[str, object]:
    errors: dict[str, str] = {}
    if data.outcome not in Outcome.values:
        errors["outcome"] = MSG_OUTCOME
    known = dict(queries.assessment_areas())
    areas: dict[str, dict[str, str]] = {}
    for code, value in data.areas.items():
        if code not in known:
            errors["areas"] = MSG_AREA.format(code=code)
            continue
        rating = value.get("rating", AreaRating.UNKNOWN)
        if rating not in AreaRating.values:
            errors["areas"] = MSG_RATING.format(value=rating, area=known[code])
            continue
        areas[code] = {"rating": rating, "note": str(value.get("note", "")).strip()[:1000]}
    for field, values, choices in (
        ("endangerments", data.endangerments, Endangerment.values),
        ("danger_from", data.danger_from, DangerFrom.values),
    ):
        wrong = [v for v in values if v not in choices]
        if wrong:
            errors[field] = MSG_CHOICE.format(value=wrong[0])
    if data.outcome in ENDANGERED:
        if not data.endangerments:
            errors.setdefault("endangerments", MSG_ENDANGERMENTS)
        if not data.danger_from:
            errors.setdefault("danger_from", MSG_DANGER_FROM)
    elif data.endangerments or data.danger_from:
        errors.setdefault("endangerments", MSG_NOT_ENDANGERED)
    now = timezone.now()
    for field, moment in (("home_visit_at", data.home_visit_at), ("child_seen_at", data.child_seen_at)):
        if moment is not None and moment > now + timedelta(minutes=5):
            errors[field] = MSG_FUTURE
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    return {
        "outcome": data.outcome,
        "areas": areas,
        # In the order of the statistics' categories.
        "endangerments": [v for v in Endangerment.values if v in data.endangerments],
        "danger_from": [v for v in DangerFrom.values if v in data.danger_from],
        "home_visit_at": data.home_visit_at,
        "child_seen_at": data.child_seen_at,
        "child_seen_by": data.child_seen_by.strip(),
        "sources": data.sources.strip(),
        "reporter_involved": data.reporter_involved,
        "repeat_report": data.repeat_report,
    }


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    access: CaseAccess,
    data: AssessmentInput,
    assessment: RiskAssessment | None = None,
    change_note: str = "",
) -> AssessmentVersion:
    """A new assessment, or a correction of one as a new version (the earlier stays readable). The
    author signs it; it counts once a second professional of the Jugendamt has signed."""
    policy.require_assess(actor, access)
    content = _clean_assessment(data)
    now = timezone.now()
    if assessment is None:
        assessment = RiskAssessment.objects.create(
            case=access.case, youth_office_id=access.organisation_id, created_by=actor, created_at=now
        )
        number = 1
    else:
        if not change_note.strip():
            raise ValidationError({"change_note": [MSG_CHANGE_NOTE]})
        assessment = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
        number = assessment.versions.count() + 1
    version = AssessmentVersion.objects.create(
        assessment=assessment, number=number, author=actor, at=now, change_note=change_note.strip(), **content
    )
    assessment.current = version
    assessment.save(update_fields=["current"])
    AssessmentSignature.objects.create(version=version, signed_by=actor, signed_at=now)
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.CREATE,
        version,
        "Gefährdungseinschätzung erfassen" if number == 1 else "Gefährdungseinschätzung korrigieren",
        case_id=access.case.pk,
    )
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "assessment",
        f"Gefährdungseinschätzung (Fassung {number}) erfasst: {Outcome(version.outcome).label}; "
        "wartet auf die Unterschrift einer zweiten Fachkraft.",
    )
    state_advance(access.case, actor, access.organisation_id, CaseState.RISK_ASSESSMENT)
    return version


@transaction.atomic
def assessment_sign(*, actor: User, access: CaseAccess, version: AssessmentVersion) -> AssessmentSignature:
    """Four eyes (§ 8a Abs. 1 SGB VIII: im Zusammenwirken mehrerer Fachkräfte): another professional of
    the Jugendamt signs the current version."""
    policy.require_assess(actor, access)
    assessment = RiskAssessment.objects.select_for_update().get(pk=version.assessment_id)
    if assessment.current_id != version.pk:
        raise ValidationError(MSG_NOT_CURRENT)
    if AssessmentSignature.objects.filter(version=version, signed_by=actor).exists():
        raise ValidationError(MSG_SIGNED)
    signature = AssessmentSignature.objects.create(version=version, signed_by=actor, signed_at=timezone.now())
    count = AssessmentSignature.objects.filter(version=version).count()
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.UPDATE,
        version,
        "Gefährdungseinschätzung unterzeichnen",
        case_id=access.case.pk,
    )
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "assessment",
        f"Gefährdungseinschätzung (Fassung {version.number}) von {count} Fachkräften unterzeichnet: "
        f"{Outcome(version.outcome).label}.",
    )
    return signature
