"""Writes of the youth-welfare pathway. Each writes the audit trail and the case's timeline."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from schutznetz.audit.models import AuditAction
from schutznetz.audit.services import audit_object
from schutznetz.cases import queries as case_queries
from schutznetz.cases.feedback import FeedbackInput, feedback_clean
from schutznetz.cases.models import (
    Case,
    CaseRole,
    CaseState,
    LegalBasis,
    Participation,
    ParticipationStatus,
    Task,
    TaskStatus,
)
from schutznetz.cases.services import (
    FirstTask,
    case_create,
    child_address_change,
    lead_take_over,
    participation_invite,
    participation_limit_to_history,
    state_advance,
    task_complete,
    task_create,
    timeline_add,
)
from schutznetz.network.agreements.queries import response_terms
from schutznetz.network.models import (
    EBM_PROVIDER_KINDS,
    HandoverKind,
    Membership,
    Organisation,
    OrganisationKind,
    Profession,
    Urgency,
)
from schutznetz.network.queries import JurisdictionError, coordinators_of, jurisdiction_lookup
from schutznetz.notify.services import notify
from schutznetz.people.identity import ChildIdentity
from schutznetz.people.vault import get_vault
from schutznetz.welfare import policy, queries
from schutznetz.welfare.models import (
    ENDANGERED,
    HELP_PROVIDER_KINDS,
    AreaRating,
    AssessmentSignature,
    AssessmentVersion,
    CareReason,
    CareTaking,
    CaseConference,
    ConferenceAttendee,
    ConferenceDecision,
    ConferenceMode,
    CourtReferral,
    DangerFrom,
    Endangerment,
    HelpPlan,
    HelpPlanClinic,
    HelpPlanReview,
    HelpType,
    Intake,
    IntakeFeedback,
    IntakeSource,
    MoveHandover,
    MoveStatus,
    Outcome,
    RiskAssessment,
    SafetyMeasure,
    SafetyPlan,
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


@transaction.atomic
def intake_feedback(*, actor: User, intake: Intake, data: FeedbackInput) -> IntakeFeedback:
    """§ 4 Abs. 4 KKG: the reporting professional's organisation (its coordination, who stand in for
    the person named in the sealed report) learns whether the Jugendamt sees the indications
    confirmed, whether it became active and whether it is still active (``cases.feedback``); nothing
    else of the case. Reporters who are not § 4 KKG professionals (neighbours, relatives, anonymous
    callers) get none."""
    policy.require_read_intake(actor, intake.youth_office_id)
    if not policy.may_receive_feedback(intake):
        raise ValidationError(policy.MSG_NO_FEEDBACK)
    data = feedback_clean(data)
    feedback = IntakeFeedback.objects.create(
        intake=intake,
        given_by=actor,
        given_at=timezone.now(),
        confirmed=data.confirmed,
        became_active=data.became_active,
        still_active=data.still_active,
        note=data.note,
        callback_phone=data.callback_phone,
    )
    audit_object(
        actor,
        intake.youth_office_id,
        AuditAction.DISCLOSE,
        feedback,
        "Rückmeldung an die meldende Stelle (§ 4 Abs. 4 KKG)",
        case_id=intake.case_id,
        organisation=intake.reporter_organisation_id,
        legal_basis="kkg_4_4",
    )
    timeline_add(
        intake.case,
        actor,
        intake.youth_office_id,
        "intake",
        "Rückmeldung an die meldende Stelle nach § 4 Abs. 4 KKG gegeben.",
    )
    assert intake.reporter_organisation_id is not None
    received = timezone.localtime(intake.received_at)
    notify(
        recipients=coordinators_of(intake.reporter_organisation_id),
        kind="intake_feedback",
        subject_id=None,
        title=f"Rückmeldung des Jugendamts zu Ihrer Meldung vom {received:%d.%m.%Y}",
        body=f"{intake.youth_office.name} (§ 4 Abs. 4 KKG): {feedback.answers()}",
        url="",
    )
    return feedback


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
    participants: str = ""
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
        "participants": data.participants.strip()[:500],
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


# Consequences: the safety plan, the family court (§ 8a Abs. 2 SGB VIII), taking into care (§ 42).

MSG_MEASURES = "Bitte mindestens eine Maßnahme angeben."
MSG_MEASURE_TEXT = "Maßnahme {n}: bitte beschreiben, was getan wird."
MSG_MEASURE_RESPONSIBLE = "Maßnahme {n}: bitte angeben, wer dafür verantwortlich ist."
MSG_MEASURE_OWNER = (
    "Maßnahme {n}: bitte eine Fachkraft einer beteiligten Stelle wählen, die die Maßnahme nachhält."
)
MSG_MEASURE_DUE = "Maßnahme {n}: bitte eine Frist angeben, die nicht in der Vergangenheit liegt."
MSG_MEASURE_CHECK = "Maßnahme {n}: die Überprüfung liegt nicht vor der Frist."
MSG_AGREED_ON = "Bitte angeben, wann der Schutzplan vereinbart wurde (nicht in der Zukunft)."
MSG_COURT = "Bitte das Familiengericht aus dem Verzeichnis wählen."
MSG_REFERRED_ON = "Bitte das Datum der Anrufung angeben (nicht in der Zukunft)."
MSG_REASON = "Bitte die Gründe angeben."
MSG_FOLLOW_UP = "Die Wiedervorlage liegt in der Vergangenheit."
MSG_CARE_BEGIN = "Bitte den Beginn der Inobhutnahme angeben (nicht in der Zukunft)."
MSG_CARE_END = "Das Ende der Inobhutnahme liegt vor ihrem Beginn."
MSG_CARE_END_FUTURE = "Das Ende der Inobhutnahme liegt in der Zukunft."
MSG_CARE_PLACE = "Bitte angeben, wo das Kind oder der/die Jugendliche untergebracht ist."
MSG_CARE_REASON = "Bitte den Anlass nach § 42 Abs. 1 SGB VIII angeben."
MSG_CARE_ENDED = "Diese Inobhutnahme ist bereits beendet."
MSG_COURT_DECISION = "Die Entscheidung des Familiengerichts liegt in der Zukunft oder vor der Inobhutnahme."

COURT_FOLLOW_UP_DAYS = 14


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})


@dataclass(frozen=True)
class MeasureInput:
    measure: str
    responsible: str
    owner_id: int | None
    due_date: date | None
    check_date: date | None


@dataclass(frozen=True)
class SafetyPlanInput:
    agreed_on: date | None
    measures: list[MeasureInput]
    agreed_with: str = ""


@transaction.atomic
def safety_plan_record(*, actor: User, access: CaseAccess, data: SafetyPlanInput) -> SafetyPlan:
    """A safety plan: each measure becomes a task for the person who follows it up, due at its
    deadline, and a task for the author to check it on its check date."""
    policy.require_protect(actor, access)
    today = timezone.localdate()
    staff = {u.pk: u for u in case_queries.case_staff(access.case.pk)}
    errors: dict[str, str] = {}
    if data.agreed_on is None or data.agreed_on > today:
        errors["agreed_on"] = MSG_AGREED_ON
    if not data.measures:
        errors["measures"] = MSG_MEASURES
    for n, m in enumerate(data.measures, start=1):
        problem = None
        if not m.measure.strip():
            problem = MSG_MEASURE_TEXT
        elif not m.responsible.strip():
            problem = MSG_MEASURE_RESPONSIBLE
        elif m.owner_id not in staff:
            problem = MSG_MEASURE_OWNER
        elif m.due_date is None or m.due_date < today:
            problem = MSG_MEASURE_DUE
        elif m.check_date is None or m.check_date < m.due_date:
            problem = MSG_MEASURE_CHECK
        if problem:
            errors.setdefault("measures", problem.format(n=n))
    _raise(errors)
    assert data.agreed_on is not None
    plan = SafetyPlan.objects.create(
        case=access.case,
        youth_office_id=access.organisation_id,
        agreed_on=data.agreed_on,
        agreed_with=data.agreed_with.strip()[:200],
        created_by=actor,
        created_at=timezone.now(),
    )
    for n, m in enumerate(data.measures, start=1):
        assert m.owner_id is not None and m.due_date and m.check_date
        title = m.measure.strip()
        short = title if len(title) <= 120 else title[:119] + "…"
        task = task_create(
            actor=actor,
            access=access,
            title=f"Schutzplan: {short}",
            owner=staff[m.owner_id],
            due_date=m.due_date,
        )
        check = task_create(
            actor=actor,
            access=access,
            title=f"Schutzplan überprüfen: {short}",
            owner=actor,
            due_date=m.check_date,
        )
        SafetyMeasure.objects.create(
            plan=plan,
            position=n,
            measure=title,
            responsible=m.responsible.strip(),
            owner=staff[m.owner_id],
            due_date=m.due_date,
            check_date=m.check_date,
            task=task,
            check_task=check,
        )
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.CREATE,
        plan,
        "Schutzplan vereinbaren",
        case_id=access.case.pk,
    )
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "protection",
        f"Schutzplan vom {plan.agreed_on:%d.%m.%Y} mit {len(data.measures)} Maßnahme(n) erfasst.",
    )
    state_advance(access.case, actor, access.organisation_id, CaseState.MEASURES)
    return plan


@dataclass(frozen=True)
class CourtReferralInput:
    court_id: int | None
    referred_on: date | None
    reason: str
    urgent: bool = False
    follow_up_date: date | None = None


@transaction.atomic
def court_referral_record(*, actor: User, access: CaseAccess, data: CourtReferralInput) -> CourtReferral:
    """The Jugendamt calls on the family court (§ 8a Abs. 2 SGB VIII, § 1666 BGB); the author follows
    the proceedings up on the follow-up date."""
    policy.require_protect(actor, access)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    court = None
    if data.court_id is not None:
        court = Organisation.objects.filter(
            pk=data.court_id, is_active=True, kind=OrganisationKind.FAMILY_COURT
        ).first()
    if court is None:
        errors["court"] = MSG_COURT
    if data.referred_on is None or data.referred_on > today:
        errors["referred_on"] = MSG_REFERRED_ON
    if not data.reason.strip():
        errors["reason"] = MSG_REASON
    if data.follow_up_date is not None and data.follow_up_date < today:
        errors["follow_up_date"] = MSG_FOLLOW_UP
    _raise(errors)
    assert court is not None and data.referred_on is not None
    follow_up = data.follow_up_date or max(today, data.referred_on + timedelta(days=COURT_FOLLOW_UP_DAYS))
    task = task_create(
        actor=actor,
        access=access,
        title=f"Verfahren beim {court.name} nachhalten (§ 8a Abs. 2 SGB VIII)",
        owner=actor,
        due_date=follow_up,
    )
    referral = CourtReferral.objects.create(
        case=access.case,
        youth_office_id=access.organisation_id,
        court=court,
        referred_on=data.referred_on,
        urgent=data.urgent,
        reason=data.reason.strip(),
        follow_up_date=follow_up,
        task=task,
        created_by=actor,
        created_at=timezone.now(),
    )
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.CREATE,
        referral,
        "Familiengericht anrufen",
        case_id=access.case.pk,
    )
    urgent = " im Eilverfahren" if data.urgent else ""
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "protection",
        f"{court.name}{urgent} angerufen am {data.referred_on:%d.%m.%Y} (§ 8a Abs. 2 SGB VIII, § 1666 BGB).",
    )
    state_advance(access.case, actor, access.organisation_id, CaseState.MEASURES)
    return referral


@dataclass(frozen=True)
class CareTakingInput:
    begins_at: datetime | None
    place: str
    reason: str
    reason_note: str
    ends_at: datetime | None = None
    court_decision_on: date | None = None


def _check_end(
    begins_at: datetime, ends_at: datetime | None, decided: date | None, now: datetime
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if ends_at is not None:
        if ends_at < begins_at:
            errors["ends_at"] = MSG_CARE_END
        elif ends_at > now + timedelta(minutes=5):
            errors["ends_at"] = MSG_CARE_END_FUTURE
    if decided is not None and (decided > timezone.localdate(now) or decided < timezone.localdate(begins_at)):
        errors["court_decision_on"] = MSG_COURT_DECISION
    return errors


@transaction.atomic
def care_taking_record(*, actor: User, access: CaseAccess, data: CareTakingInput) -> CareTaking:
    """Taking into care (§ 42 SGB VIII). While it lasts, the guardians are to be told at once and it is
    to be settled whether the child goes back, the family court decides or help planning begins."""
    policy.require_protect(actor, access)
    now = timezone.now()
    errors: dict[str, str] = {}
    if data.begins_at is None or data.begins_at > now + timedelta(minutes=5):
        errors["begins_at"] = MSG_CARE_BEGIN
    if not data.place.strip():
        errors["place"] = MSG_CARE_PLACE
    if data.reason not in CareReason.values:
        errors["reason"] = MSG_CARE_REASON
    if not data.reason_note.strip():
        errors["reason_note"] = MSG_REASON
    if data.begins_at is not None:
        errors.update(_check_end(data.begins_at, data.ends_at, data.court_decision_on, now))
    _raise(errors)
    assert data.begins_at is not None
    care = CareTaking.objects.create(
        case=access.case,
        youth_office_id=access.organisation_id,
        begins_at=data.begins_at,
        ends_at=data.ends_at,
        place=data.place.strip(),
        reason=data.reason,
        reason_note=data.reason_note.strip(),
        court_decision_on=data.court_decision_on,
        created_by=actor,
        created_at=now,
    )
    if data.ends_at is None:
        today = timezone.localdate(now)
        task_create(
            actor=actor,
            access=access,
            title="Personensorgeberechtigte über die Inobhutnahme unterrichten (§ 42 Abs. 3 SGB VIII)",
            owner=actor,
            due_date=today,
        )
        task_create(
            actor=actor,
            access=access,
            title="Inobhutnahme: Rückgabe, Entscheidung des Familiengerichts oder Hilfeplanverfahren klären",
            owner=actor,
            due_date=today + timedelta(days=1),
        )
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.CREATE,
        care,
        "Inobhutnahme erfassen",
        case_id=access.case.pk,
    )
    ended = f" bis {timezone.localtime(data.ends_at):%d.%m.%Y %H:%M}" if data.ends_at else ""
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "protection",
        f"Inobhutnahme (§ 42 SGB VIII) ab {timezone.localtime(data.begins_at):%d.%m.%Y %H:%M}{ended}: "
        f"{CareReason(data.reason).label}.",
    )
    state_advance(access.case, actor, access.organisation_id, CaseState.MEASURES)
    return care


@transaction.atomic
def care_taking_end(
    *,
    actor: User,
    access: CaseAccess,
    care: CareTaking,
    ends_at: datetime | None,
    court_decision_on: date | None,
) -> CareTaking:
    """The taking into care ends (or the family court has decided on it)."""
    policy.require_protect(actor, access)
    care = CareTaking.objects.select_for_update().get(pk=care.pk, case=access.case)
    if care.ends_at is not None:
        raise ValidationError({"ends_at": [MSG_CARE_ENDED]})
    now = timezone.now()
    errors = _check_end(care.begins_at, ends_at, court_decision_on, now)
    if ends_at is None and court_decision_on is None:
        errors.setdefault("ends_at", "Bitte das Ende oder die Entscheidung des Familiengerichts angeben.")
    _raise(errors)
    fields = []
    if ends_at is not None:
        care.ends_at = ends_at
        fields.append("ends_at")
    if court_decision_on is not None:
        care.court_decision_on = court_decision_on
        fields.append("court_decision_on")
    care.save(update_fields=fields)
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.UPDATE,
        care,
        "Inobhutnahme fortschreiben",
        case_id=access.case.pk,
    )
    texts = []
    if ends_at is not None:
        texts.append(f"Inobhutnahme beendet am {timezone.localtime(ends_at):%d.%m.%Y %H:%M}")
    if court_decision_on is not None:
        texts.append(f"Entscheidung des Familiengerichts vom {court_decision_on:%d.%m.%Y}")
    timeline_add(access.case, actor, access.organisation_id, "protection", "; ".join(texts) + ".")
    return care


# The help plan (§ 36 SGB VIII), with the child-psychiatry clinic after discharge.

MSG_HELP_TYPE = "Bitte die Hilfeart (§§ 27–35a, 41 SGB VIII) angeben."
MSG_GOALS = "Bitte die Ziele der Hilfe angeben."
MSG_PROVIDER = "Bitte einen Leistungserbringer des Netzwerks wählen."
MSG_STARTS_ON = "Bitte den Beginn der Hilfe angeben."
MSG_REVIEW_ON = "Bitte das Datum der nächsten Überprüfung angeben (§ 36 Abs. 2 SGB VIII: regelmäßig prüfen)."
MSG_REVIEW_PAST = "Die nächste Überprüfung liegt in der Vergangenheit oder vor dem Beginn der Hilfe."
MSG_GUARDIANS = "Bitte angeben, welche Personensorgeberechtigten beteiligt waren (oder warum nicht)."
MSG_HELD_ON = "Bitte das Datum des Hilfeplangesprächs angeben (nicht in der Zukunft)."
MSG_RESULT = "Bitte das Ergebnis der Überprüfung festhalten."
MSG_CLINIC = "Bitte eine Klinik für Kinder- und Jugendpsychiatrie des Netzwerks wählen."
MSG_DISCHARGED = "Bitte das Entlassdatum angeben (nicht in der Zukunft)."
MSG_CONSENT = (
    "Die Klinik wird erst beteiligt, wenn die Einwilligung erfasst ist: Datum (nicht in der Zukunft) "
    "und wer sie erteilt hat."
)
MSG_CLINIC_TWICE = "Diese Klinik wirkt an diesem Hilfeplan bereits mit."
REVIEW_TASK = "Hilfeplan überprüfen und fortschreiben (§ 36 Abs. 2 SGB VIII)"


@dataclass(frozen=True)
class HelpPlanInput:
    help_type: str
    goals: str
    provider_id: int | None
    starts_on: date | None
    review_on: date | None
    young_person_involved: bool
    guardians_involved: str


def _join(actor: User, access: CaseAccess, organisation: Organisation, role: str, basis: str) -> None:
    """Ask an organisation into the case unless it already takes part (or is asked)."""
    if not Participation.objects.filter(
        case=access.case,
        organisation=organisation,
        status__in=[ParticipationStatus.INVITED, ParticipationStatus.ACTIVE],
    ).exists():
        participation_invite(
            actor=actor, access=access, organisation=organisation, role=role, legal_basis=basis
        )


@transaction.atomic
def help_plan_record(*, actor: User, access: CaseAccess, data: HelpPlanInput) -> HelpPlan:
    """A help plan; its provider is asked into the case (§ 36 SGB VIII) and the review is a task of the
    author, due on the review date."""
    policy.require_protect(actor, access)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if data.help_type not in HelpType.values:
        errors["help_type"] = MSG_HELP_TYPE
    if not data.goals.strip():
        errors["goals"] = MSG_GOALS
    provider = None
    if data.provider_id is not None:
        provider = Organisation.objects.filter(
            pk=data.provider_id, is_active=True, kind__in=HELP_PROVIDER_KINDS
        ).first()
    if provider is None:
        errors["provider"] = MSG_PROVIDER
    if data.starts_on is None:
        errors["starts_on"] = MSG_STARTS_ON
    if data.review_on is None:
        errors["review_on"] = MSG_REVIEW_ON
    elif data.review_on < today or (data.starts_on and data.review_on < data.starts_on):
        errors["review_on"] = MSG_REVIEW_PAST
    if not data.guardians_involved.strip():
        errors["guardians_involved"] = MSG_GUARDIANS
    _raise(errors)
    assert provider is not None and data.starts_on and data.review_on
    task = task_create(actor=actor, access=access, title=REVIEW_TASK, owner=actor, due_date=data.review_on)
    plan = HelpPlan.objects.create(
        case=access.case,
        youth_office_id=access.organisation_id,
        help_type=data.help_type,
        goals=data.goals.strip(),
        provider=provider,
        starts_on=data.starts_on,
        review_on=data.review_on,
        young_person_involved=data.young_person_involved,
        guardians_involved=data.guardians_involved.strip(),
        review_task=task,
        created_by=actor,
        created_at=timezone.now(),
    )
    _join(actor, access, provider, CaseRole.CARE_PROVIDER, LegalBasis.SGB8_36)
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.CREATE,
        plan,
        "Hilfeplan aufstellen",
        case_id=access.case.pk,
    )
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "help_plan",
        f"Hilfeplan aufgestellt: {HelpType(data.help_type).label}, {provider.name}, "
        f"ab {data.starts_on:%d.%m.%Y}; Überprüfung am {data.review_on:%d.%m.%Y}.",
    )
    state_advance(access.case, actor, access.organisation_id, CaseState.MEASURES)
    return plan


@transaction.atomic
def help_plan_review(
    *,
    actor: User,
    access: CaseAccess,
    plan: HelpPlan,
    held_on: date | None,
    result: str,
    next_review_on: date | None,
) -> HelpPlanReview:
    """The help plan is reviewed and carried forward: the review task is done, the next one is due."""
    policy.require_protect(actor, access)
    plan = (
        HelpPlan.objects.select_for_update().select_related("review_task").get(pk=plan.pk, case=access.case)
    )
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if held_on is None or held_on > today or held_on < plan.starts_on:
        errors["held_on"] = MSG_HELD_ON
    if not result.strip():
        errors["result"] = MSG_RESULT
    if next_review_on is None:
        errors["next_review_on"] = MSG_REVIEW_ON
    elif next_review_on < today:
        errors["next_review_on"] = MSG_REVIEW_PAST
    _raise(errors)
    assert held_on and next_review_on
    review = HelpPlanReview.objects.create(
        plan=plan,
        held_on=held_on,
        result=result.strip(),
        next_review_on=next_review_on,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    new_task = task_create(
        actor=actor, access=access, title=REVIEW_TASK, owner=actor, due_date=next_review_on
    )
    if plan.review_task.status == "open":
        task_complete(actor=actor, access=access, task=plan.review_task, note="Hilfeplan fortgeschrieben.")
    plan.review_on, plan.review_task, plan.review_reminded_on = next_review_on, new_task, None
    plan.save(update_fields=["review_on", "review_task", "review_reminded_on"])
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.UPDATE,
        plan,
        "Hilfeplan fortschreiben",
        case_id=access.case.pk,
    )
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "help_plan",
        f"Hilfeplan fortgeschrieben (Gespräch am {held_on:%d.%m.%Y}); "
        f"nächste Überprüfung am {next_review_on:%d.%m.%Y}.",
    )
    return review


@dataclass(frozen=True)
class ClinicInput:
    clinic_id: int | None
    discharged_on: date | None
    consent_on: date | None
    consent_by: str


@transaction.atomic
def help_plan_add_clinic(
    *, actor: User, access: CaseAccess, plan: HelpPlan, data: ClinicInput
) -> HelpPlanClinic:
    """After discharge, the child-psychiatry clinic joins help planning once the guardians' consent is
    recorded; it is asked into the case on that consent."""
    policy.require_protect(actor, access)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    clinic = None
    if data.clinic_id is not None:
        clinic = Organisation.objects.filter(
            pk=data.clinic_id, is_active=True, kind=OrganisationKind.CHILD_PSYCHIATRY_CLINIC
        ).first()
    if clinic is None:
        errors["clinic"] = MSG_CLINIC
    if data.discharged_on is None or data.discharged_on > today:
        errors["discharged_on"] = MSG_DISCHARGED
    if data.consent_on is None or data.consent_on > today or not data.consent_by.strip():
        errors["consent_on"] = MSG_CONSENT
    _raise(errors)
    assert clinic is not None and data.discharged_on and data.consent_on
    if HelpPlanClinic.objects.filter(plan=plan, clinic=clinic).exists():
        raise ValidationError({"clinic": [MSG_CLINIC_TWICE]})
    member = HelpPlanClinic.objects.create(
        plan=plan,
        clinic=clinic,
        discharged_on=data.discharged_on,
        consent_on=data.consent_on,
        consent_by=data.consent_by.strip(),
        added_by=actor,
        added_at=timezone.now(),
    )
    _join(actor, access, clinic, CaseRole.MEDICAL, LegalBasis.CONSENT)
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.DISCLOSE,
        member,
        "Klinik an der Hilfeplanung beteiligen",
        case_id=access.case.pk,
        organisation=clinic.pk,
        legal_basis=LegalBasis.CONSENT,
    )
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "help_plan",
        f"{clinic.name} an der Hilfeplanung beteiligt (Entlassung am {data.discharged_on:%d.%m.%Y}; "
        f"Einwilligung vom {data.consent_on:%d.%m.%Y}).",
    )
    return member


# Case conferences (Fallkonferenz): participants of the case plus guests on a legal basis or consent;
# minutes with decisions that become tasks; EBM 01682 for physicians when the Jugendamt initiated it.

MSG_CONF_TIMES = "Das Ende liegt nicht nach dem Beginn."
MSG_CONF_MODE = "Bitte angeben, ob die Fallkonferenz persönlich, telefonisch oder per Video stattfindet."
MSG_AGENDA = "Bitte die Tagesordnung angeben."
MSG_CONF_PEOPLE = "Bitte mindestens eine weitere Person einladen."
MSG_CONF_PARTICIPANT = (
    "Eingeladen werden Fachkräfte der Stellen, die mit Personenbezug am Fall beteiligt sind."
)
MSG_GUEST = "Gast {n}: bitte eine Person des Netzwerks wählen, deren Stelle nicht am Fall beteiligt ist."
MSG_GUEST_BASIS = "Gast {n}: bitte die Rechtsgrundlage angeben oder die Einwilligung erfassen."
MSG_GUEST_CONSENT = "Gast {n}: bei einer Einwilligung bitte angeben, wer sie wann erteilt hat."
MSG_GUEST_UNTIL = (
    "Gast {n}: bitte angeben, bis wann die Einsicht in das Protokoll gilt (nicht vor der Konferenz)."
)
MSG_MINUTES = "Bitte das Protokoll erfassen."
MSG_MINUTES_EARLY = "Das Protokoll wird nach Beginn der Fallkonferenz erfasst."
MSG_MINUTES_DONE = "Das Protokoll dieser Fallkonferenz ist bereits erfasst."
MSG_DECISION = "Beschluss {n}: bitte Text, eine verantwortliche Fachkraft des Falls und eine Frist angeben."
MSG_ATTENDED = "Bitte für anwesende Teilnehmende die Dauer in Minuten (1–600) angeben."
MSG_LONGER = "Die Teilnahme kann nicht länger gedauert haben als die Fallkonferenz ({minutes} Minuten)."
# EBM 01682: per completed 10 minutes, at most 8 times per case.
BILLING_CODE = "01682"
BILLING_MINUTES = 10
BILLING_MAX_PER_CASE = 8
GUEST_BASES = [b for b in LegalBasis.values if b != LegalBasis.KKG_4_2]


@dataclass(frozen=True)
class GuestInput:
    user_id: int | None
    legal_basis: str
    access_until: date | None
    consent_by: str = ""
    consent_on: date | None = None


@dataclass(frozen=True)
class ConferenceInput:
    starts_at: datetime | None
    ends_at: datetime | None
    mode: str
    agenda: str
    participant_ids: list[int]
    guests: list[GuestInput]
    location: str = ""


def _membership_in(user_id: int, organisation_ids: set[int] | None, exclude: set[int]) -> Membership | None:
    memberships = Membership.objects.working().filter(user_id=user_id, user__is_active=True)
    if organisation_ids is not None:
        memberships = memberships.filter(organisation_id__in=organisation_ids)
    return memberships.exclude(organisation_id__in=exclude).select_related("user", "organisation").first()


@transaction.atomic
def conference_schedule(*, actor: User, access: CaseAccess, data: ConferenceInput) -> CaseConference:
    """Plan a case conference; everybody invited is told, with the invitation (.ics) on its page."""
    policy.require_organise_conference(actor, access)
    errors: dict[str, str] = {}
    if data.starts_at is None or data.ends_at is None or data.ends_at <= data.starts_at:
        errors["ends_at"] = MSG_CONF_TIMES
    if data.mode not in ConferenceMode.values:
        errors["mode"] = MSG_CONF_MODE
    if not data.agenda.strip():
        errors["agenda"] = MSG_AGENDA
    in_case = set(
        case_queries.identity_participant_ids(access.case.pk).values_list("organisation_id", flat=True)
    )
    members: list[tuple[Membership, GuestInput | None]] = []
    for user_id in dict.fromkeys(data.participant_ids):
        if user_id == actor.pk:
            continue
        membership = _membership_in(user_id, in_case, set())
        if membership is None:
            errors["participants"] = MSG_CONF_PARTICIPANT
            break
        members.append((membership, None))
    for n, guest in enumerate(data.guests, start=1):
        membership = _membership_in(guest.user_id, None, in_case) if guest.user_id else None
        problem = None
        if membership is None or membership.user_id in {m.user_id for m, _ in members} | {actor.pk}:
            problem = MSG_GUEST
        elif guest.legal_basis not in GUEST_BASES:
            problem = MSG_GUEST_BASIS
        elif guest.legal_basis == LegalBasis.CONSENT and not (
            guest.consent_by.strip() and guest.consent_on and guest.consent_on <= timezone.localdate()
        ):
            problem = MSG_GUEST_CONSENT
        elif guest.access_until is None or (
            data.starts_at is not None and guest.access_until < timezone.localdate(data.starts_at)
        ):
            problem = MSG_GUEST_UNTIL
        if problem:
            errors.setdefault("guests", problem.format(n=n))
        else:
            assert membership is not None
            members.append((membership, guest))
    if not members and "participants" not in errors and "guests" not in errors:
        errors["participants"] = MSG_CONF_PEOPLE
    _raise(errors)
    assert data.starts_at and data.ends_at
    conference = CaseConference.objects.create(
        case=access.case,
        organiser_id=access.organisation_id,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        mode=data.mode,
        location=data.location.strip()[:200],
        agenda=data.agenda.strip(),
        created_by=actor,
        created_at=timezone.now(),
    )
    own = Membership.objects.working().filter(user=actor, organisation_id=access.organisation_id).first()
    rows = [
        ConferenceAttendee(
            conference=conference,
            user=actor,
            organisation_id=access.organisation_id,
            physician=bool(own and own.profession == Profession.PHYSICIAN),
        )
    ]
    for membership, invited in members:
        rows.append(
            ConferenceAttendee(
                conference=conference,
                user=membership.user,
                organisation=membership.organisation,
                guest=invited is not None,
                legal_basis=invited.legal_basis if invited else "",
                consent_by=invited.consent_by.strip() if invited else "",
                consent_on=invited.consent_on if invited else None,
                access_until=invited.access_until if invited else None,
                physician=membership.profession == Profession.PHYSICIAN,
            )
        )
    ConferenceAttendee.objects.bulk_create(rows)
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.CREATE,
        conference,
        "Fallkonferenz planen",
        case_id=access.case.pk,
    )
    for membership, invited in members:
        if invited is not None:
            audit_object(
                actor,
                access.organisation_id,
                AuditAction.DISCLOSE,
                conference,
                "Gast zur Fallkonferenz einladen",
                case_id=access.case.pk,
                organisation=membership.organisation_id,
                legal_basis=invited.legal_basis,
            )
    when = timezone.localtime(data.starts_at)
    notify(
        recipients=[m.user for m, _ in members],
        kind="conference_invited",
        subject_id=access.case.pk,
        title=f"Einladung zur Fallkonferenz am {when:%d.%m.%Y %H:%M} (Fall {access.case.child.pseudonym})",
        body=f"{actor.display_name} lädt Sie zur Fallkonferenz ein ({ConferenceMode(data.mode).label}); "
        "Tagesordnung und Kalendereintrag (.ics) finden Sie auf der Seite der Konferenz.",
        url=reverse("welfare:conference", args=[conference.pk]),
    )
    guests = sum(1 for _, g in members if g is not None)
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "conference",
        f"Fallkonferenz am {when:%d.%m.%Y %H:%M} geplant ({len(rows)} Teilnehmende, davon {guests} Gäste).",
    )
    return conference


@dataclass(frozen=True)
class AttendanceInput:
    present: bool
    mode: str = ""
    minutes_attended: int | None = None


@dataclass(frozen=True)
class DecisionInput:
    text: str
    owner_id: int | None
    due_date: date | None


@transaction.atomic
def conference_record_minutes(
    *,
    actor: User,
    access: CaseAccess,
    conference: CaseConference,
    minutes: str,
    attendance: dict[int, AttendanceInput],
    decisions: list[DecisionInput],
) -> CaseConference:
    """Attendance, minutes and decisions; each decision becomes a task of its owner. A physician's
    time counts for EBM 01682 when the Jugendamt initiated the conference."""
    policy.require_organise_conference(actor, access)
    conference = (
        CaseConference.objects.select_for_update()
        .select_related("organiser")
        .get(pk=conference.pk, case=access.case)
    )
    if conference.is_recorded:
        raise ValidationError(MSG_MINUTES_DONE)
    now = timezone.now()
    today = timezone.localdate(now)
    errors: dict[str, str] = {}
    if now < conference.starts_at:
        errors["minutes"] = MSG_MINUTES_EARLY
    elif not minutes.strip():
        errors["minutes"] = MSG_MINUTES
    staff = {u.pk: u for u in case_queries.case_staff(access.case.pk)}
    for n, d in enumerate(decisions, start=1):
        if not d.text.strip() or d.owner_id not in staff or d.due_date is None or d.due_date < today:
            errors.setdefault("decisions", MSG_DECISION.format(n=n))
    attendees = list(conference.attendees.select_related("organisation"))
    for a in attendees:
        given = attendance.get(a.pk)
        if given and given.present:
            if given.mode and given.mode not in ConferenceMode.values:
                errors.setdefault("attendance", MSG_CONF_MODE)
            if given.minutes_attended is not None and not 0 < given.minutes_attended <= 600:
                errors.setdefault("attendance", MSG_ATTENDED)
            elif given.minutes_attended is not None and given.minutes_attended > conference.duration_minutes:
                errors.setdefault("attendance", MSG_LONGER.format(minutes=conference.duration_minutes))
            if a.physician and conference.initiated_by_youth_office and given.minutes_attended is None:
                errors.setdefault("attendance", MSG_ATTENDED)
    _raise(errors)
    for a in attendees:
        given = attendance.get(a.pk) or AttendanceInput(present=False)
        a.present = given.present
        a.mode = (given.mode or conference.mode) if given.present else ""
        a.minutes_attended = given.minutes_attended if given.present else None
        a.billing_units = 0
        if (
            a.present
            and a.physician
            and conference.initiated_by_youth_office
            and a.minutes_attended
            and (
                a.organisation.kind in EBM_PROVIDER_KINDS  # hospitals' inpatient teams code OPS instead
            )
        ):
            left = BILLING_MAX_PER_CASE - queries.earlier_billing_units(access.case.pk, a.user_id)
            a.billing_units = max(0, min(a.minutes_attended // BILLING_MINUTES, left))
        a.save(update_fields=["present", "mode", "minutes_attended", "billing_units"])
    for n, d in enumerate(decisions, start=1):
        assert d.owner_id is not None and d.due_date is not None
        text = d.text.strip()
        short = text if len(text) <= 150 else text[:149] + "…"
        task = task_create(
            actor=actor,
            access=access,
            title=f"Fallkonferenz: {short}",
            owner=staff[d.owner_id],
            due_date=d.due_date,
        )
        ConferenceDecision.objects.create(conference=conference, position=n, text=text, task=task)
    conference.minutes, conference.minutes_at, conference.minutes_by = minutes.strip(), now, actor
    conference.save(update_fields=["minutes", "minutes_at", "minutes_by"])
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.UPDATE,
        conference,
        "Fallkonferenz protokollieren",
        case_id=access.case.pk,
    )
    present = sum(1 for a in attendees if a.present)
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "conference",
        f"Protokoll der Fallkonferenz vom {timezone.localtime(conference.starts_at):%d.%m.%Y} erfasst: "
        f"{present} anwesend, {len(decisions)} Beschluss/Beschlüsse als Aufgaben.",
    )
    return conference


MSG_NOT_A_GUEST = "Nur die Einsicht eines Gastes wird beendet."
MSG_GUEST_ENDED = "Die Einsicht dieses Gastes ist bereits beendet."


@transaction.atomic
def conference_guest_end(
    *, actor: User, access: CaseAccess, attendee: ConferenceAttendee, reason: str
) -> ConferenceAttendee:
    """The legal basis no longer holds (consent withdrawn, purpose fulfilled): the guest's access to
    the conference ends now."""
    policy.require_organise_conference(actor, access)
    attendee = (
        ConferenceAttendee.objects.select_for_update().select_related("organisation").get(pk=attendee.pk)
    )
    if not attendee.guest:
        raise ValidationError(MSG_NOT_A_GUEST)
    today = timezone.localdate()
    if attendee.access_until is None or attendee.access_until < today:
        raise ValidationError(MSG_GUEST_ENDED)
    if not reason.strip():
        raise ValidationError({"reason": ["Bitte den Grund angeben (z. B. Einwilligung widerrufen)."]})
    attendee.access_until = today - timedelta(days=1)
    attendee.save(update_fields=["access_until"])
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.UPDATE,
        attendee,
        "Einsicht eines Gastes der Fallkonferenz beenden",
        case_id=access.case.pk,
        reason=reason.strip()[:300],
    )
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "conference",
        f"Einsicht eines Gastes ({attendee.organisation.name}) in die Fallkonferenz beendet: "
        f"{reason.strip()[:300]}",
    )
    return attendee


def conference_record_read(*, actor: User, found: queries.ConferenceAccess, purpose: str) -> None:
    """The conference's page and documents show the child: a read on the trail (guests included)."""
    conference = found.conference
    if found.case_access is not None:
        organisation_id = found.case_access.organisation_id
    else:
        assert found.guest is not None
        organisation_id = found.guest.organisation_id
    audit_object(
        actor,
        organisation_id,
        AuditAction.READ,
        conference,
        purpose,
        case_id=conference.case_id,
        persons={"child": conference.case.child.pseudonym},
        guest=found.is_guest,
    )


# Handover when the family moves (§ 8a Abs. 6 SGB VIII).

MSG_MOVE_INFORMATION = (
    "Bitte die Informationen angeben, die das neue Jugendamt zur Gefährdungseinschätzung braucht."
)
MSG_MOVE_SAME = "Für die neue Anschrift ist Ihr Jugendamt weiterhin zuständig; eine Übergabe ist nicht nötig."
MSG_MOVE_PENDING = "Die Übergabe an ein anderes Jugendamt ist bereits angeboten."
MSG_MOVE_ANSWERED = "Diese Übergabe ist bereits beantwortet."
MSG_MOVE_REASON = "Bitte angeben, warum Ihr Jugendamt den Fall nicht übernimmt."
MOVE_FIRST_STEP = "Gefährdungseinschätzung nach Zuzug vornehmen (§ 8a Abs. 1 und 6 SGB VIII)"


@dataclass(frozen=True)
class MoveInput:
    street: str
    postal_code: str
    city: str
    information: str


@transaction.atomic
def move_offer(*, actor: User, access: CaseAccess, data: MoveInput) -> MoveHandover:
    """The family moved: the new address is recorded, and the Jugendamt competent for it (from the
    network's jurisdiction) is offered the case with what it needs to assess the risk (§ 8a Abs. 6
    SGB VIII). Until it accepts, the case stays with the current Jugendamt."""
    policy.require_offer_move(actor, access)
    errors: dict[str, str] = {}
    to_office = None
    try:
        to_office = jurisdiction_lookup(postal_code=data.postal_code, municipality=data.city)
    except JurisdictionError as error:
        errors[error.field if error.field in ("postal_code", "municipality") else "postal_code"] = (
            error.message
        )
    if to_office is not None and to_office.pk == access.organisation_id:
        errors["postal_code"] = MSG_MOVE_SAME
    if not data.information.strip():
        errors["information"] = MSG_MOVE_INFORMATION
    if MoveHandover.objects.filter(case=access.case, status=MoveStatus.PENDING).exists():
        errors["postal_code"] = MSG_MOVE_PENDING
    if "municipality" in errors:
        errors["city"] = errors.pop("municipality")
    _raise(errors)
    assert to_office is not None
    child_address_change(
        actor=actor, access=access, street=data.street, postal_code=data.postal_code, city=data.city
    )
    now = timezone.now()
    from_office = Organisation.objects.get(pk=access.organisation_id)
    terms = response_terms(
        sender=from_office,
        receiver=to_office,
        kind=HandoverKind.MOVE,
        urgency=Urgency.NORMAL,
        received_at=now,
    )
    move = MoveHandover.objects.create(
        case=access.case,
        from_office=from_office,
        to_office=to_office,
        requested_by=actor,
        requested_at=now,
        due_at=terms.deadline,
        information=data.information.strip(),
    )
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.DISCLOSE,
        move,
        "Übergabe bei Wegzug anbieten (§ 8a Abs. 6 SGB VIII)",
        case_id=access.case.pk,
        organisation=to_office.pk,
        legal_basis=LegalBasis.SGB8_8A_6,
    )
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "move",
        f"Übergabe an {to_office.name} angeboten (Wegzug, § 8a Abs. 6 SGB VIII); "
        f"die Fallführung bleibt bis zur Übernahme bei {from_office.name}.",
    )
    notify(
        recipients=coordinators_of(to_office.pk),
        kind="move_offered",
        subject_id=access.case.pk,
        title=f"Übergabe bei Wegzug angeboten (Fall {access.case.child.pseudonym})",
        body=f"{from_office.name} bietet Ihrem Jugendamt einen Fall an: die Familie ist in Ihren "
        "Zuständigkeitsbereich gezogen. Bitte bis "
        f"{timezone.localtime(terms.deadline):%d.%m.%Y %H:%M} antworten.",
        url=reverse("welfare:move", args=[move.pk]),
    )
    return move


@transaction.atomic
def move_respond(*, actor: User, move: MoveHandover, accept: bool, reason: str = "") -> MoveHandover:
    """The new Jugendamt takes the case over (it takes part with identity and leads; the former one
    reads the history for the configured days, every read audited) or declines with a reason."""
    policy.require_answer_move(actor, move.to_office_id)
    move = (
        MoveHandover.objects.select_for_update()
        .select_related("case__child", "to_office", "from_office")
        .get(pk=move.pk)
    )
    if move.status != MoveStatus.PENDING:
        raise ValidationError(MSG_MOVE_ANSWERED)
    if not accept and not reason.strip():
        raise ValidationError({"reason": [MSG_MOVE_REASON]})
    now = timezone.now()
    case = move.case
    if accept:
        lead_take_over(
            actor=actor,
            case=case,
            organisation=move.to_office,
            requested_by=move.requested_by,
            role=CaseRole.YOUTH_OFFICE,
            legal_basis=LegalBasis.SGB8_8A_6,
            note="Übergabe bei Wegzug der Familie (§ 8a Abs. 6 SGB VIII)",
        )
        participation_limit_to_history(
            actor=actor,
            case=case,
            organisation_id=move.from_office_id,
            until=now + timedelta(days=settings.MOVE_HISTORY_READ_DAYS),
        )
        # The former Jugendamt only reads from now on: its open steps go to the new lead person.
        handed = Task.objects.filter(
            case=case, status=TaskStatus.OPEN, owner_organisation_id=move.from_office_id
        )
        count = handed.update(owner=actor, owner_organisation_id=move.to_office_id)
        if count:
            timeline_add(
                case,
                actor,
                move.to_office_id,
                "move",
                f"{count} offene Aufgabe(n) von {move.from_office.name} an {actor.display_name} übertragen.",
                identifying=True,
            )
        access = case_queries.case_get_for(actor, case.pk)
        task_create(
            actor=actor, access=access, title=MOVE_FIRST_STEP, owner=actor, due_date=timezone.localdate(now)
        )
    move.status = MoveStatus.ACCEPTED if accept else MoveStatus.DECLINED
    move.responded_by, move.responded_at, move.decline_reason = actor, now, reason.strip()[:500]
    move.save(update_fields=["status", "responded_by", "responded_at", "decline_reason"])
    audit_object(
        actor,
        move.to_office_id,
        AuditAction.UPDATE,
        move,
        "Übergabe bei Wegzug übernehmen" if accept else "Übergabe bei Wegzug ablehnen",
        case_id=case.pk,
    )
    said = "übernimmt den Fall" if accept else f"lehnt die Übernahme ab: {move.decline_reason}"
    timeline_add(case, actor, move.to_office_id, "move", f"{move.to_office.name} {said}.")
    notify(
        recipients=[move.requested_by],
        kind="move_answered",
        subject_id=case.pk,
        title=f"Übergabe bei Wegzug beantwortet (Fall {case.child.pseudonym})",
        body=f"{move.to_office.name} {said}.",
        url=reverse("welfare:move", args=[move.pk]),
    )
    return move


def move_record_read(*, actor: User, detail: queries.MoveDetail, purpose: str) -> None:
    """The offer shows the child: a read on the trail, for the side the reader works for."""
    move = detail.move
    side = move.to_office_id if policy.can_work_intake(actor, move.to_office_id) else move.from_office_id
    audit_object(
        actor,
        side,
        AuditAction.READ,
        move,
        purpose,
        case_id=move.case_id,
        persons={"child": move.case.child.pseudonym},
    )
