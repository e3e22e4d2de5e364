"""Writes of the medical pathway. Each writes the audit trail and the case's timeline."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from schutznetz.audit.models import AuditAction
from schutznetz.audit.services import audit_object
from schutznetz.cases import queries as case_queries
from schutznetz.cases.models import CaseRole, LegalBasis, Participation, ParticipationStatus
from schutznetz.cases.policy import CaseAccess
from schutznetz.cases.services import participation_invite, screen_case_text, timeline_add
from schutznetz.medical import bodymap, decision, policy
from schutznetz.medical.models import (
    Consultation,
    FamilyTalk,
    FindingsPhoto,
    FindingsRecord,
    FindingsShare,
    FindingsVersion,
)
from schutznetz.medical.photos import clean_photo
from schutznetz.medical.vocabulary import Colour, EstimatedAge, InjuryKind, Pattern
from schutznetz.network.agreements.queries import response_terms
from schutznetz.network.models import HandoverKind, Organisation
from schutznetz.network.queries import coordinators_of
from schutznetz.notify.services import notify
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


def advice_for(access: CaseAccess, data: FindingsInput) -> tuple[decision.Advice, Any]:
    """The decision support for the content, and the child's age in months at the examination."""
    identity = case_queries.identity_of(access.case.child)
    age = None
    if identity.birth_date is not None:
        age = decision.age_in_months(identity.birth_date, timezone.localdate(data.examined_at))
    injuries = [decision.Injury(i["region"], i["kind"], i["pattern"]) for i in data.injuries]
    advice = decision.advise(
        age_months=age, mobility=data.mobility, injuries=injuries, assessment=data.assessment
    )
    return advice, age


def _version(
    actor: User, access: CaseAccess, record: FindingsRecord, number: int, data: FindingsInput, note: str
) -> FindingsVersion:
    now = timezone.now()
    for field in ("examined_at", "history_at"):
        if getattr(data, field) > now:
            raise ValidationError({field: MSG_FUTURE})
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


MSG_SPECIALIST = "Bitte eine Fachstelle des Netzwerks wählen, nicht die eigene Organisation."
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
    if specialist.pk == access.organisation_id or not specialist.is_active:
        raise ValidationError({"specialist": MSG_SPECIALIST})
    screen_case_text(actor, access.case, MSG_QUESTION_IDENTIFYING, question=question)
    taking_part = Participation.objects.filter(
        case=access.case,
        organisation=specialist,
        status__in=[ParticipationStatus.INVITED, ParticipationStatus.ACTIVE],
    ).exists()
    if not taking_part:
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
        + ("" if taking_part else "; bitte zuerst die Einladung in den Fall annehmen")
        + ".",
        url=reverse("cases:detail", args=[access.case.pk]) if taking_part else reverse("cases:invitations"),
    )
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "consultation",
        f"Pseudonymisierte Fallberatung bei {specialist.name} angefragt; "
        f"Antwort erbeten bis {due:%d.%m.%Y %H:%M}.",
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
