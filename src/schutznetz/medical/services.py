"""Writes of the medical pathway. Each writes the audit trail and the case's timeline."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from schutznetz.audit.models import AuditAction
from schutznetz.audit.services import audit_object
from schutznetz.cases import queries as case_queries
from schutznetz.cases.feedback import FeedbackInput, feedback_clean
from schutznetz.cases.models import (
    CaseRole,
    CaseState,
    LegalBasis,
    Participation,
    ParticipationStatus,
    TaskTrigger,
)
from schutznetz.cases.policy import CaseAccess
from schutznetz.cases.services import (
    lead_take_over,
    participation_invite,
    screen_case_text,
    state_advance,
    task_create,
    tasks_complete_on,
    timeline_add,
)
from schutznetz.medical import bodymap, decision, policy, queries
from schutznetz.medical.models import (
    AffectedNotice,
    Consultation,
    DiagnosticStatus,
    FamilyTalk,
    FindingsPhoto,
    FindingsRecord,
    FindingsShare,
    FindingsVersion,
    NotDoneReason,
    ReportFeedback,
    YouthOfficeReport,
    basis_short,
    report_basis,
)
from schutznetz.medical.photos import clean_photo
from schutznetz.medical.vocabulary import (
    Assessment,
    Colour,
    EstimatedAge,
    HistoryConsistency,
    HistoryGiver,
    InjuryKind,
    Mobility,
    Pattern,
)
from schutznetz.network.agreements.queries import response_terms
from schutznetz.network.models import (
    EBM_PROVIDER_KINDS,
    HEALTH_CARE_KINDS,
    HandoverKind,
    Organisation,
    OrganisationKind,
    Urgency,
)
from schutznetz.network.queries import coordinators_of, on_call_at
from schutznetz.notify.services import mail_to_address, notify
from schutznetz.people.screening import screen_texts
from schutznetz.people.vault import get_vault

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

MAX_INJURIES = 60
MSG_REGION = "Unbekannte Körperregion „{code}“."
MSG_KIND = "Unbekannte Verletzungsart „{code}“."
MSG_CHOICE = "Unbekannter Wert „{code}“ für {field}."
MSG_TOO_MANY = f"Höchstens {MAX_INJURIES} Einzelbefunde je Dokumentation."
MSG_CHANGE_NOTE = "Bitte angeben, was korrigiert wird und warum."
MSG_FUTURE = "Der Zeitpunkt liegt in der Zukunft."
MSG_SHARE_ORGANISATION = "Freigeben lässt sich nur für eine andere am Fall beteiligte Organisation."
MSG_SHARE_EXISTS = "Für diese Organisation sind die Befunde bereits freigegeben."

# What the doctor judges: never preset, chosen for every version (a skipped field must not record
# the gravest judgement, or any other).
MSG_CHOOSE = "Bitte „{label}“ auswählen."
JUDGEMENTS: dict[str, tuple[type[models.TextChoices], str]] = {
    "history_by": (HistoryGiver, "Geschildert von"),
    "history_consistency": (HistoryConsistency, "Schlüssigkeit der Anamnese"),
    "mobility": (Mobility, "Mobilität des Kindes"),
    "assessment": (Assessment, "Gesamteinschätzung"),
}

INJURY_CHOICES = {
    "colour": (Colour, Colour.NOT_ASSESSABLE, "Farbe"),
    "pattern": (Pattern, Pattern.UNSPECIFIC, "Form"),
    "estimated_age": (EstimatedAge, EstimatedAge.UNKNOWN, "geschätztes Alter"),
}


def clean_injuries(raw: object) -> list[dict[str, str]]:
    """The injuries of a record as stored: known region and kind, choices from the vocabulary, short
    free texts. A clear German error names the first entry that does not fit."""
    if not isinstance(raw, list):
        raise ValidationError({"injuries": "Die Einzelbefunde müssen eine Liste sein."})
    if len(raw) > MAX_INJURIES:
        raise ValidationError({"injuries": MSG_TOO_MANY})
    cleaned = []
    for number, entry in enumerate(raw, start=1):
        prefix = f"Einzelbefund {number}: "
        if not isinstance(entry, dict):
            raise ValidationError({"injuries": prefix + "Angaben fehlen."})
        region, kind = str(entry.get("region", "")), str(entry.get("kind", ""))
        if region not in bodymap.BY_CODE:
            raise ValidationError({"injuries": prefix + MSG_REGION.format(code=region)})
        if kind not in InjuryKind.values:
            raise ValidationError({"injuries": prefix + MSG_KIND.format(code=kind)})
        item = {"region": region, "kind": kind}
        for name, (choices, default, label) in INJURY_CHOICES.items():
            value = str(entry.get(name) or default)
            if value not in choices.values:
                raise ValidationError({"injuries": prefix + MSG_CHOICE.format(code=value, field=label)})
            item[name] = value
        for name, limit in (("size", 40), ("note", 300)):
            text = str(entry.get(name) or "").strip()
            if len(text) > limit:
                raise ValidationError({"injuries": prefix + f"„{name}“ höchstens {limit} Zeichen."})
            item[name] = text
        cleaned.append(item)
    return cleaned


@dataclass(frozen=True)
class FindingsInput:
    """The content of one version, as a form or the API hands it over (injuries already cleaned)."""

    examined_at: datetime
    history: str
    history_by: str
    history_at: datetime
    mobility: str
    injuries: list[dict[str, str]]
    assessment: str
    examinations_done: str = ""
    examinations_recommended: str = ""
    assessment_note: str = ""
    history_consistency: str = ""  # required for every new version; blank only on older ones


def advice_for(access: CaseAccess, data: FindingsInput) -> tuple[decision.Advice, Any]:
    """The decision support for the content, and the child's age in months at the examination."""
    identity = case_queries.identity_of(access.case.child)
    age = None
    if identity.birth_date is not None:
        age = decision.age_in_months(identity.birth_date, timezone.localdate(data.examined_at))
    injuries = [decision.Injury(i["region"], i["kind"], i["pattern"]) for i in data.injuries]
    advice = decision.advise(
        age_months=age,
        mobility=data.mobility,
        injuries=injuries,
        assessment=data.assessment,
        history=data.history_consistency,
    )
    return advice, age


def _version(
    actor: User, access: CaseAccess, record: FindingsRecord, number: int, data: FindingsInput, note: str
) -> FindingsVersion:
    now = timezone.now()
    errors = {
        name: [MSG_CHOOSE.format(label=label)]
        for name, (choices, label) in JUDGEMENTS.items()
        if getattr(data, name) not in choices.values
    }
    errors |= {name: [MSG_FUTURE] for name in ("examined_at", "history_at") if getattr(data, name) > now}
    if errors:
        raise ValidationError(errors)
    advice, age = advice_for(access, data)
    version = FindingsVersion.objects.create(
        record=record,
        number=number,
        author=actor,
        organisation_id=access.organisation_id,
        at=now,
        change_note=note,
        age_months=age,
        advice=advice.as_dict(),
        **{name: getattr(data, name) for name in FindingsInput.__dataclass_fields__},
    )
    record.current = version
    record.save(update_fields=["current"])
    return version


@transaction.atomic
def findings_record_create(*, actor: User, access: CaseAccess, data: FindingsInput) -> FindingsRecord:
    policy.require_write_findings(actor, access)
    record = FindingsRecord.objects.create(
        case=access.case, organisation_id=access.organisation_id, created_by=actor, created_at=timezone.now()
    )
    version = _version(actor, access, record, 1, data, "")
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.CREATE,
        version,
        "Befund dokumentieren",
        case_id=access.case.pk,
        record=record.pk,
        injuries=len(data.injuries),
    )
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "findings",
        "Ärztliche Befunddokumentation angelegt.",
        identifying=True,
    )
    return record


@transaction.atomic
def findings_record_correct(
    *, actor: User, access: CaseAccess, record: FindingsRecord, data: FindingsInput, change_note: str
) -> FindingsVersion:
    """A correction is a new version; the one before stays readable."""
    policy.require_write_findings(actor, access)
    if not change_note.strip():
        raise ValidationError({"change_note": MSG_CHANGE_NOTE})
    record = FindingsRecord.objects.select_for_update().get(pk=record.pk)
    number = (record.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = _version(actor, access, record, number, data, change_note.strip())
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.UPDATE,
        version,
        "Befund korrigieren",
        case_id=access.case.pk,
        record=record.pk,
        number=number,
    )
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "findings",
        f"Ärztliche Befunddokumentation korrigiert (Fassung {number}).",
        identifying=True,
    )
    return version


@transaction.atomic
def findings_share(
    *, actor: User, access: CaseAccess, organisation_id: int, legal_basis: str, note: str = ""
) -> FindingsShare:
    """Let a non-medical organisation taking part in the case read its findings."""
    policy.require_write_findings(actor, access)
    participation = (
        Participation.objects.filter(
            case=access.case, organisation_id=organisation_id, status=ParticipationStatus.ACTIVE
        )
        .select_related("organisation")
        .first()
    )
    if participation is None or organisation_id == access.organisation_id or participation.pseudonymised:
        raise ValidationError({"organisation": MSG_SHARE_ORGANISATION})
    if legal_basis not in LegalBasis.values:
        raise ValidationError({"legal_basis": "Bitte eine Rechtsgrundlage wählen."})
    if FindingsShare.objects.filter(
        case=access.case, organisation_id=organisation_id, revoked_at=None
    ).exists():
        raise ValidationError({"organisation": MSG_SHARE_EXISTS})
    share = FindingsShare.objects.create(
        case=access.case,
        organisation_id=organisation_id,
        legal_basis=legal_basis,
        note=note.strip(),
        shared_by=actor,
        shared_at=timezone.now(),
    )
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.DISCLOSE,
        share,
        "Befunde freigeben",
        case_id=access.case.pk,
        organisation=organisation_id,
        legal_basis=legal_basis,
    )
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "findings",
        f"Befunde für {participation.organisation.name} freigegeben ({LegalBasis(legal_basis).label}).",
        identifying=True,
    )
    return share


MSG_TALK_WHEN = "Bitte angeben, wann das Gespräch geführt wurde."
MSG_TALK_RESULT = "Bitte das Ergebnis des Gesprächs festhalten."
MSG_TALK_REASON = (
    "Bitte begründen, warum das Gespräch den wirksamen Schutz des Kindes in Frage stellen würde."
)


@dataclass(frozen=True)
class TalkInput:
    held: bool
    held_at: datetime | None = None
    participants: str = ""
    result: str = ""
    not_held_reason: str = ""


@transaction.atomic
def family_talk_record(*, actor: User, access: CaseAccess, data: TalkInput) -> FamilyTalk:
    """§ 4 Abs. 1 KKG: the talk with the child and the parents, or why it was not held."""
    policy.require_write_findings(actor, access)
    errors = {}
    if data.held:
        if data.held_at is None:
            errors["held_at"] = MSG_TALK_WHEN
        elif data.held_at > timezone.now():
            errors["held_at"] = MSG_FUTURE
        if not data.result.strip():
            errors["result"] = MSG_TALK_RESULT
    elif not data.not_held_reason.strip():
        errors["not_held_reason"] = MSG_TALK_REASON
    if errors:
        raise ValidationError(errors)
    talk = FamilyTalk.objects.create(
        case=access.case,
        organisation_id=access.organisation_id,
        recorded_by=actor,
        recorded_at=timezone.now(),
        held=data.held,
        held_at=data.held_at if data.held else None,
        participants=data.participants.strip() if data.held else "",
        result=data.result.strip() if data.held else "",
        not_held_reason="" if data.held else data.not_held_reason.strip(),
    )
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.CREATE,
        talk,
        "Gespräch nach § 4 Abs. 1 KKG festhalten",
        case_id=access.case.pk,
        held=data.held,
    )
    said = "geführt" if data.held else "nicht geführt (Begründung dokumentiert)"
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "family_talk",
        f"Gespräch mit Kind und Personensorgeberechtigten (§ 4 Abs. 1 KKG) {said}.",
        identifying=True,
    )
    return talk


@transaction.atomic
def findings_share_revoke(*, actor: User, access: CaseAccess, share: FindingsShare) -> FindingsShare:
    """End a share: the organisation no longer reads the findings (what it read stays on record)."""
    policy.require_write_findings(actor, access)
    share = FindingsShare.objects.select_for_update().select_related("organisation").get(pk=share.pk)
    if share.case_id != access.case.pk or share.revoked_at is not None:
        raise ValidationError({"share": "Diese Freigabe besteht nicht (mehr)."})
    share.revoked_at = timezone.now()
    share.save(update_fields=["revoked_at"])
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.UPDATE,
        share,
        "Freigabe der Befunde beenden",
        case_id=access.case.pk,
        organisation=share.organisation_id,
    )
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "findings",
        f"Freigabe der Befunde für {share.organisation.name} beendet.",
        identifying=True,
    )
    return share


PHOTO_KIND = "findings_photo"
MSG_CAPTION = "Bitte beschreiben, was das Foto zeigt."


@transaction.atomic
def findings_photo_add(
    *,
    actor: User,
    access: CaseAccess,
    record: FindingsRecord,
    upload: IO[bytes],
    size: int,
    caption: str,
    shows_face: bool,
    region: str = "",
) -> FindingsPhoto:
    """A photo of a finding: checked, stripped of metadata, sealed; on the timeline without content."""
    policy.require_write_findings(actor, access)
    if record.case_id != access.case.pk:
        raise ValidationError({"record": policy.NOT_FOUND})
    if not caption.strip():
        raise ValidationError({"caption": MSG_CAPTION})
    if region and region not in bodymap.BY_CODE:
        raise ValidationError({"region": MSG_REGION.format(code=region)})
    clean = clean_photo(upload, size=size)
    photo = FindingsPhoto(
        id=uuid.uuid4(),
        record=record,
        uploaded_by=actor,
        organisation_id=access.organisation_id,
        uploaded_at=timezone.now(),
        caption=caption.strip(),
        region=region,
        shows_face=shows_face,
        width=clean.width,
        height=clean.height,
    )
    photo.key_id, photo.content = get_vault().seal_bytes(clean.jpeg, kind=PHOTO_KIND, row_id=photo.id)
    photo.save(force_insert=True)
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.CREATE,
        photo,
        "Foto zum Befund hinzufügen",
        case_id=access.case.pk,
        record=record.pk,
    )
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "findings",
        "Foto zur Befunddokumentation hinzugefügt.",
        identifying=True,
    )
    return photo


def findings_photo_open(*, actor: User, access: CaseAccess, photo: FindingsPhoto) -> bytes:
    """The photo's JPEG, for one who may read the findings, or a consulted specialist when it does not
    show the face; each showing is a read on the trail."""
    if not policy.can_read_findings(actor, access):
        policy.require_consult(actor, access)
        if photo.shows_face:
            raise Http404(policy.NOT_FOUND)
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.READ,
        photo,
        "Foto eines Befunds ansehen",
        case_id=access.case.pk,
        persons={"child": access.case.child.pseudonym},
    )
    return get_vault().open_bytes(bytes(photo.content), key_id=photo.key_id, kind=PHOTO_KIND, row_id=photo.pk)


MSG_SPECIALIST = (
    "Bitte eine Fachstelle des Netzwerks wählen (Kinderschutzzentrum, Kinderschutzgruppe, "
    "Beratungsstelle oder freier Träger mit insoweit erfahrener Fachkraft), nicht die eigene Organisation."
)
MSG_SPECIALIST_KNOWS = (
    "Diese Stelle ist mit Personenbezug am Fall beteiligt; eine pseudonymisierte Beratung nach § 4 Abs. 2 "
    "KKG ist mit ihr nicht möglich. Bitte eine andere Fachstelle wählen."
)
MSG_QUESTION_IDENTIFYING = (
    "Die Fragestellung enthält Angaben, die das Kind oder seine Familie erkennbar machen können: {found}. "
    "Bitte pseudonymisiert formulieren."
)
MSG_ANSWER_IDENTIFYING = "Die Antwort enthält Angaben, die Personen erkennbar machen können: {found}."
MSG_ANSWERED = "Diese Anfrage ist bereits beantwortet."
MSG_NOT_ASKED = "Diese Anfrage richtet sich an eine andere Fachstelle."


@transaction.atomic
def consultation_request(
    *, actor: User, access: CaseAccess, specialist: Organisation, urgency: str, question: str
) -> Consultation:
    """§ 4 Abs. 2 KKG: ask a specialist with pseudonymised data. The specialist organisation is invited
    to take part pseudonymised (it sees the pseudonym, age, sex and coded findings); the question is
    screened for identifying passages; the answer is due within the agreements' response time."""
    policy.require_write_findings(actor, access)
    if (
        specialist.pk == access.organisation_id
        or not specialist.is_active
        or specialist.kind not in queries.SPECIALIST_KINDS
    ):
        raise ValidationError({"specialist": MSG_SPECIALIST})
    screen_case_text(actor, access.case, MSG_QUESTION_IDENTIFYING, question=question)
    taking_part = Participation.objects.filter(
        case=access.case,
        organisation=specialist,
        status__in=[ParticipationStatus.INVITED, ParticipationStatus.ACTIVE],
    ).first()
    if taking_part is not None and not taking_part.pseudonymised:
        # It knows the child: its advice is no pseudonymised consultation, and it could not answer here.
        raise ValidationError({"specialist": MSG_SPECIALIST_KNOWS})
    active = taking_part is not None and taking_part.status == ParticipationStatus.ACTIVE
    if taking_part is None:
        participation_invite(
            actor=actor,
            access=access,
            organisation=specialist,
            role=CaseRole.SPECIALIST,
            legal_basis=LegalBasis.KKG_4_2,
            pseudonymised=True,
        )
    now = timezone.now()
    terms = response_terms(
        sender=_organisation(access),
        receiver=specialist,
        kind=HandoverKind.CONSULTATION,
        urgency=urgency,
        received_at=now,
    )
    consultation = Consultation.objects.create(
        case=access.case,
        from_organisation_id=access.organisation_id,
        requested_by=actor,
        requested_at=now,
        specialist=specialist,
        urgency=urgency,
        question=question.strip(),
        due_at=terms.deadline,
    )
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.DISCLOSE,
        consultation,
        "Pseudonymisierte Fallberatung anfragen (§ 4 Abs. 2 KKG)",
        case_id=access.case.pk,
        specialist=specialist.pk,
    )
    due = timezone.localtime(terms.deadline)
    # The message names the case by pseudonym only; the question is read in the case.
    notify(
        recipients=coordinators_of(specialist.pk),
        kind="consultation_requested",
        subject_id=access.case.pk,
        title=f"Anfrage zur pseudonymisierten Fallberatung (Fall {access.case.child.pseudonym})",
        body=f"Antwort erbeten bis {due:%d.%m.%Y %H:%M}"
        + ("" if active else "; bitte zuerst die Einladung in den Fall annehmen")
        + ".",
        url=reverse("cases:detail", args=[access.case.pk]) if active else reverse("cases:invitations"),
    )
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "consultation",
        f"Pseudonymisierte Fallberatung bei {specialist.name} angefragt; "
        f"Antwort erbeten bis {due:%d.%m.%Y %H:%M}.",
    )
    state_advance(access.case, actor, access.organisation_id, CaseState.CONSULTATION)
    tasks_complete_on(
        access.case,
        TaskTrigger.SPECIALIST_CONSULTED,
        actor,
        access.organisation_id,
        because=f"Fallberatung bei {specialist.name} angefragt.",
    )
    return consultation


def _organisation(access: CaseAccess) -> Organisation:
    return Organisation.objects.get(pk=access.organisation_id)


@transaction.atomic
def consultation_answer(
    *, actor: User, access: CaseAccess, consultation: Consultation, answer: str
) -> Consultation:
    """The specialist's answer, screened, on the case's timeline for every participant."""
    policy.require_consult(actor, access)
    if consultation.specialist_id != access.organisation_id:
        raise ValidationError({"answer": MSG_NOT_ASKED})
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.is_answered:
        raise ValidationError({"answer": MSG_ANSWERED})
    if not answer.strip():
        raise ValidationError({"answer": "Bitte eine Antwort eingeben."})
    screen_texts(MSG_ANSWER_IDENTIFYING, actor=actor, answer=answer)
    consultation.answer = answer.strip()
    consultation.answered_by = actor
    consultation.answered_at = timezone.now()
    consultation.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.UPDATE,
        consultation,
        "Pseudonymisierte Fallberatung beantworten",
        case_id=access.case.pk,
    )
    notify(
        recipients=[consultation.requested_by],
        kind="consultation_answered",
        subject_id=access.case.pk,
        title=f"Antwort der Fachberatung (Fall {access.case.child.pseudonym})",
        body=f"{consultation.specialist.name} hat die Anfrage beantwortet.",
        url=reverse("cases:detail", args=[access.case.pk]),
    )
    text = consultation.answer if len(consultation.answer) <= 380 else consultation.answer[:379] + "…"
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "consultation",
        f"Antwort der Fachberatung ({consultation.specialist.name}): {text}",
    )
    return consultation


def findings_record_read(
    *, actor: User, access: CaseAccess, records: list[int], purpose: str, talks: list[int] | None = None
) -> None:
    """A read of findings is on record: which records (and talks), of which child, for which
    organisation."""
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.READ,
        access.case,
        purpose,
        case_id=access.case.pk,
        findings=records,
        **({"talks": talks} if talks else {}),
        persons={"child": access.case.child.pseudonym},
    )


MSG_DIAGNOSTIC_UNKNOWN = "Diese Untersuchung empfiehlt die aktuelle Fassung der Befunde nicht."
MSG_DIAGNOSTIC_REASON = "Bitte den Grund wählen, warum die Untersuchung nicht durchgeführt wurde."


@transaction.atomic
def diagnostic_mark(
    *, actor: User, access: CaseAccess, record: FindingsRecord, code: str, done: bool, reason: str = ""
) -> DiagnosticStatus:
    """Mark a recommended examination of the record's current version done, or not done with its
    reason (a choice, no free text): the basis of the evaluation's guideline-conform diagnostics."""
    policy.require_write_findings(actor, access)
    version = queries.current_of(record)
    if code not in {item.get("code") for item in version.advice.get("diagnostics", [])}:
        raise ValidationError({"code": [MSG_DIAGNOSTIC_UNKNOWN]})
    if not done and reason not in NotDoneReason.values:
        raise ValidationError({"reason": [MSG_DIAGNOSTIC_REASON]})
    status, _ = DiagnosticStatus.objects.update_or_create(
        record=record,
        code=code,
        defaults={
            "done": done,
            "reason": "" if done else reason,
            "marked_by": actor,
            "marked_at": timezone.now(),
        },
    )
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.UPDATE,
        record,
        "Empfohlene Untersuchung als durchgeführt festhalten"
        if done
        else "Empfohlene Untersuchung als nicht durchgeführt festhalten",
        case_id=access.case.pk,
        code=code,
        done=done,
        reason=status.reason,
    )
    return status


# Reports to the Jugendamt (§ 4 Abs. 3 KKG) and its feedback (§ 4 Abs. 4 KKG).

EBM_REPORT = "01681"  # EBM: report to the Jugendamt following the regional Meldebogen (§ 73c SGB V)
BILLING_KINDS = EBM_PROVIDER_KINDS
MSG_INDICATIONS = "Bitte die gewichtigen Anhaltspunkte und Beobachtungen beschreiben (Meldebogen)."
MSG_YOUTH_OFFICE = (
    "Das gewählte Jugendamt gehört nicht zum Netzwerk. Bitte ein Jugendamt aus der Liste wählen."
)
MSG_URGENCY = "Bitte die Dringlichkeit angeben."
MSG_NOTICE = "Bitte angeben, ob die Betroffenen vorab auf die Mitteilung hingewiesen wurden (§ 4 Abs. 3 KKG)."
MSG_NOTICE_REASON = (
    "Bitte begründen, warum der Hinweis an die Betroffenen den wirksamen Schutz des Kindes in Frage "
    "gestellt hätte."
)
MSG_OVERRIDE = (
    "Nach der Anschrift des Kindes ist {competent} zuständig. Bitte begründen, warum die Mitteilung an "
    "ein anderes Jugendamt geht."
)
MSG_OVERRIDE_UNKNOWN = "{note} Bitte begründen, warum die Mitteilung an dieses Jugendamt geht."
MSG_REPEAT = (
    "Für diesen Fall wurde in diesem Quartal bereits eine Mitteilung gesendet ({when}, an {office}). "
    "Bitte bestätigen, dass eine weitere Mitteilung gesendet werden soll; sie wird nicht erneut als "
    "EBM 01681 erfasst."
)
MSG_ACKNOWLEDGED = "Der Eingang dieser Mitteilung ist bereits bestätigt."
MSG_INVOLVED_DUE = "Bitte ein Datum angeben, bis wann die meldende Stelle mitwirken soll."


@dataclass(frozen=True)
class ReportInput:
    """The Meldebogen as the doctor fills it in."""

    youth_office_id: int | None
    urgency: str
    indications: str
    affected_notice: str = ""  # AffectedNotice; required, never preset
    notice_omitted_reason: str = ""
    measures_taken: str = ""
    other_bodies: str = ""
    override_reason: str = ""
    confirm_repeat: bool = False


def _youth_office(pk: int | None) -> Organisation | None:
    if pk is None:
        return None
    return Organisation.objects.filter(pk=pk, is_active=True, kind=OrganisationKind.YOUTH_OFFICE).first()


@transaction.atomic
def report_send(*, actor: User, access: CaseAccess, data: ReportInput) -> YouthOfficeReport:
    """Send the report to the Jugendamt: to its inbox (coordination and whoever is on call now) and
    its duty address by mail, both without personal data; the Jugendamt reads the report, with the
    child's and parents' identity, in Schutznetz and as a PDF. Receipt is due within the agreements'
    response time for the urgency.

    Every reporting profession (``policy.reports_for``) sends the same report on its own basis
    (``models.report_basis``); only a practice or clinic adds its findings and its talk with the
    family, and only a practice bills it (EBM 01681)."""
    policy.require_report(actor, access)
    case = access.case
    errors: dict[str, str] = {}
    if not data.indications.strip():
        errors["indications"] = MSG_INDICATIONS
    if data.urgency not in Urgency.values:
        errors["urgency"] = MSG_URGENCY
    if data.affected_notice not in AffectedNotice.values:
        errors["affected_notice"] = MSG_NOTICE
    elif data.affected_notice == AffectedNotice.OMITTED and not data.notice_omitted_reason.strip():
        errors["notice_omitted_reason"] = MSG_NOTICE_REASON
    office = _youth_office(data.youth_office_id)
    if office is None:
        errors["youth_office"] = MSG_YOUTH_OFFICE
    competent, note = queries.competent_youth_office(case_queries.identity_of(case.child))
    if office is not None and office != competent and not data.override_reason.strip():
        errors["override_reason"] = (
            MSG_OVERRIDE.format(competent=competent.name)
            if competent
            else MSG_OVERRIDE_UNKNOWN.format(note=note)
        )
    now = timezone.now()
    quarter = queries.quarter_of(now)
    earlier = queries.earlier_report(case.pk, quarter)
    if earlier is not None and not data.confirm_repeat:
        errors["confirm_repeat"] = MSG_REPEAT.format(
            when=f"{timezone.localtime(earlier.reported_at):%d.%m.%Y}", office=earlier.youth_office.name
        )
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    assert office is not None
    reporter = _organisation(access)
    basis = report_basis(reporter.kind)
    health_care = reporter.kind in HEALTH_CARE_KINDS
    terms = response_terms(
        sender=reporter,
        receiver=office,
        kind=HandoverKind.REPORT_TO_YOUTH_OFFICE,
        urgency=data.urgency,
        received_at=now,
    )
    # 01681 once per treatment case: the child (by its identity, whatever case it is recorded in),
    # the practice and the quarter.
    billed = reporter.kind in BILLING_KINDS and not queries.billed_in_quarter(
        reporter.pk, case.child.exact_key, quarter
    )
    report = YouthOfficeReport.objects.create(
        case=case,
        from_organisation=reporter,
        reported_by=actor,
        reported_at=now,
        youth_office=office,
        competent_youth_office=competent,
        override_reason=data.override_reason.strip() if office != competent else "",
        legal_basis=basis,
        urgency=data.urgency,
        affected_notice=data.affected_notice,
        notice_omitted_reason=(
            data.notice_omitted_reason.strip() if data.affected_notice == AffectedNotice.OMITTED else ""
        ),
        indications=data.indications.strip(),
        measures_taken=data.measures_taken.strip(),
        other_bodies=data.other_bodies.strip(),
        findings_summary=queries.findings_summary(case.pk) if health_care else "",
        talk_summary=queries.talk_summary(case.pk) if health_care else "",
        billing_code=EBM_REPORT if billed else "",
        billing_quarter=quarter,
        billing_child_key=case.child.exact_key,
        due_at=terms.deadline,
    )
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.DISCLOSE,
        report,
        f"Mitteilung an das Jugendamt ({basis_short(basis)})",
        case_id=case.pk,
        youth_office=office.pk,
        legal_basis=basis,
        persons={"child": case.child.pseudonym},
    )
    due = timezone.localtime(terms.deadline)
    urgency = Urgency(data.urgency).label
    timeline_add(
        case,
        actor,
        access.organisation_id,
        "report",
        f"Mitteilung an {office.name} gesendet ({basis_short(basis)}, {urgency}); "
        f"Eingangsbestätigung erbeten bis {due:%d.%m.%Y %H:%M}."
        + (f" Erfasst als EBM {EBM_REPORT}." if billed else ""),
    )
    state_advance(case, actor, access.organisation_id, CaseState.REPORTED)
    tasks_complete_on(
        case,
        TaskTrigger.YOUTH_OFFICE_INFORMED,
        actor,
        access.organisation_id,
        because=f"Mitteilung an {office.name} gesendet.",
    )
    on_call = [shift.membership.user for shift in on_call_at(organisation_ids=[office.pk], at=now)]
    title = f"Mitteilung nach {basis_short(basis)} ({urgency}, Fall {case.child.pseudonym})"
    body = (
        f"{reporter.name} teilt gewichtige Anhaltspunkte mit. "
        f"Eingang bitte bis {due:%d.%m.%Y %H:%M} bestätigen."
    )
    url = reverse("medical:report", args=[report.pk])
    notify(
        recipients=[*coordinators_of(office.pk), *on_call],
        kind="report_received",
        subject_id=case.pk,
        title=title,
        body=body,
        url=url,
    )
    mail_to_address(address=office.email, title=title, body=body, url=url)
    return report


def report_record_read(*, actor: User, detail: queries.ReportDetail, purpose: str) -> None:
    """Showing a report shows the child's and parents' identity: a read on the trail."""
    report = detail.access.report
    audit_object(
        actor,
        report.youth_office_id if detail.access.is_youth_office else report.from_organisation_id,
        AuditAction.READ,
        report,
        purpose,
        case_id=report.case_id,
        persons=detail.persons_shown,
    )


@transaction.atomic
def report_acknowledge(*, actor: User, report: YouthOfficeReport) -> YouthOfficeReport:
    """The Jugendamt confirms receipt: it takes part in the case and takes the lead (the acting
    person leads), the case moves to the risk assessment, and the § 4 Abs. 4 KKG feedback falls due
    within the agreements' time."""
    policy.require_youth_office(actor, report, acknowledged=False)
    report = (
        YouthOfficeReport.objects.select_for_update()
        .select_related("case__child", "youth_office", "from_organisation", "reported_by")
        .get(pk=report.pk)
    )
    if report.is_acknowledged:
        raise ValidationError(MSG_ACKNOWLEDGED)
    office, case = report.youth_office, report.case
    participation = lead_take_over(
        actor=actor,
        case=case,
        organisation=office,
        requested_by=report.reported_by,
        role=CaseRole.YOUTH_OFFICE,
        legal_basis=report.legal_basis,
        note=f"Mitteilung nach {report.basis_short}",
    )
    case.refresh_from_db()
    now = timezone.now()
    feedback = response_terms(
        sender=report.from_organisation,
        receiver=office,
        kind=HandoverKind.FEEDBACK_TO_REPORTER,
        urgency=report.urgency,
        received_at=now,
    )
    report.acknowledged_by, report.acknowledged_at = actor, now
    report.feedback_due_at = feedback.deadline
    report.save(update_fields=["acknowledged_by", "acknowledged_at", "feedback_due_at"])
    audit_object(
        actor, office.pk, AuditAction.UPDATE, report, "Eingang der Mitteilung bestätigen", case_id=case.pk
    )
    late = " (nach Ablauf der vereinbarten Frist)" if now > report.due_at else ""
    timeline_add(
        case, actor, office.pk, "report", f"{office.name} bestätigt den Eingang der Mitteilung{late}."
    )
    state_advance(case, actor, office.pk, CaseState.RISK_ASSESSMENT)
    access = CaseAccess(case, participation)
    today = timezone.localdate(now)
    task_create(
        actor=actor,
        access=access,
        title="Gefährdungseinschätzung nach § 8a SGB VIII vornehmen",
        owner=actor,
        due_date=today if report.urgency == Urgency.URGENT else today + timedelta(days=3),
    )
    task_create(
        actor=actor,
        access=access,
        title="Rückmeldung an die meldende Stelle (§ 4 Abs. 4 KKG)",
        owner=actor,
        due_date=max(today, timezone.localdate(feedback.deadline)),
    )
    notify(
        recipients=[report.reported_by],
        kind="report_acknowledged",
        subject_id=case.pk,
        title=f"Eingang Ihrer Mitteilung bestätigt (Fall {case.child.pseudonym})",
        body=f"{office.name} hat den Eingang bestätigt und die Fallführung übernommen.",
        url=reverse("medical:report", args=[report.pk]),
    )
    return report


@transaction.atomic
def report_involve_reporter(
    *, actor: User, report: YouthOfficeReport, due_date: date | None, note: str = ""
) -> YouthOfficeReport:
    """§ 8a Abs. 1 S. 2 Nr. 2 SGB VIII: the Jugendamt involves the reporting doctor in its risk
    assessment: a dated task for the doctor in the case."""
    policy.require_youth_office(actor, report, acknowledged=True)
    case = report.case
    access = case_queries.case_get_for(actor, case.pk)
    title = "An der Gefährdungseinschätzung des Jugendamts mitwirken (§ 8a Abs. 1 SGB VIII)"
    if note.strip():
        title = f"{title}: {note.strip()}"[:200]
    if due_date is None:
        raise ValidationError({"due_date": [MSG_INVOLVED_DUE]})
    task_create(actor=actor, access=access, title=title, owner=report.reported_by, due_date=due_date)
    report.reporter_involved_at = timezone.now()
    report.save(update_fields=["reporter_involved_at"])
    audit_object(
        actor,
        report.youth_office_id,
        AuditAction.UPDATE,
        report,
        "Meldende Stelle an der Gefährdungseinschätzung beteiligen",
        case_id=case.pk,
    )
    timeline_add(
        case,
        actor,
        report.youth_office_id,
        "report",
        f"{report.youth_office.name} beteiligt {report.from_organisation.name} "
        "an der Gefährdungseinschätzung.",
    )
    return report


@transaction.atomic
def report_feedback(*, actor: User, report: YouthOfficeReport, data: FeedbackInput) -> ReportFeedback:
    """§ 4 Abs. 4 KKG: whether the Jugendamt sees the indications confirmed, whether it became active
    and whether it is still active (``cases.feedback``), for the reporting doctor and whom their
    organisation names to stand in (its coordination). The case's history records that feedback was
    given, not what it said: the other participants have no claim to it."""
    policy.require_youth_office(actor, report, acknowledged=True)
    data = feedback_clean(data)
    feedback = ReportFeedback.objects.create(
        report=report,
        given_by=actor,
        given_at=timezone.now(),
        confirmed=data.confirmed,
        became_active=data.became_active,
        still_active=data.still_active,
        note=data.note,
        callback_phone=data.callback_phone,
    )
    case = report.case
    audit_object(
        actor,
        report.youth_office_id,
        AuditAction.DISCLOSE,
        feedback,
        "Rückmeldung an die meldende Stelle (§ 4 Abs. 4 KKG)",
        case_id=case.pk,
        organisation=report.from_organisation_id,
        legal_basis="kkg_4_4",
    )
    timeline_add(
        case,
        actor,
        report.youth_office_id,
        "report",
        f"{report.youth_office.name} hat der meldenden Stelle nach § 4 Abs. 4 KKG zurückgemeldet.",
    )
    notify(
        recipients=policy.feedback_readers(report),
        kind="report_feedback",
        subject_id=case.pk,
        title=f"Rückmeldung des Jugendamts (Fall {case.child.pseudonym})",
        body=f"{report.youth_office.name} hat Ihnen nach § 4 Abs. 4 KKG eine Rückmeldung gegeben.",
        url=reverse("medical:report", args=[report.pk]),
    )
    return feedback
