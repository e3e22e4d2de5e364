"""Writes of the specialist's advice: validated, screened for identifying data, audited, on the
case's timeline, and the lead person told."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from schutznetz.audit.models import AuditAction
from schutznetz.audit.services import audit_object, audit_record
from schutznetz.cases.advice import policy
from schutznetz.cases.models import SpecialistAdvice, SpecialistFinding
from schutznetz.cases.policy import CaseAccess
from schutznetz.cases.services import screen_case_text, timeline_add
from schutznetz.notify.services import notify

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

MSG_FINDING = "Bitte die Einschätzung der gewichtigen Anhaltspunkte auswählen."
MSG_RECOMMENDATION = "Bitte die Empfehlung zum weiteren Vorgehen festhalten."
MSG_IDENTIFYING = (
    "Die Empfehlung enthält Angaben, die das Kind oder seine Familie erkennbar machen können: {found}. "
    "Die Beratung bleibt pseudonymisiert."
)


@transaction.atomic
def advice_record(*, actor: User, access: CaseAccess, finding: str, recommendation: str) -> SpecialistAdvice:
    policy.require_record_advice(actor, access)
    recommendation = recommendation.strip()
    errors = {}
    if finding not in SpecialistFinding.values:
        errors["finding"] = [MSG_FINDING]
    if not recommendation:
        errors["recommendation"] = [MSG_RECOMMENDATION]
    if errors:
        raise ValidationError(errors)
    case = access.case
    screen_case_text(actor, case, MSG_IDENTIFYING, recommendation=recommendation)
    advice = SpecialistAdvice.objects.create(
        case=case,
        organisation_id=access.organisation_id,
        given_by=actor,
        given_at=timezone.now(),
        finding=finding,
        recommendation=recommendation,
    )
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.CREATE,
        advice,
        "Beratungsergebnis der insoweit erfahrenen Fachkraft dokumentieren",
        case_id=case.pk,
    )
    timeline_add(
        case,
        actor,
        access.organisation_id,
        "specialist_advice",
        f"Beratungsergebnis der insoweit erfahrenen Fachkraft: {advice.get_finding_display()}.",
    )
    notify(
        recipients=[case.lead_user],
        kind="specialist_advice",
        subject_id=case.pk,
        title=f"Beratungsergebnis im Fall {case.child.pseudonym}",
        body="Die insoweit erfahrene Fachkraft hat ihr Beratungsergebnis dokumentiert.",
        url=reverse("cases:advice", args=[case.pk]),
    )
    return advice


def advice_record_read(
    *, actor: User, access: CaseAccess, advice: list[SpecialistAdvice], purpose: str
) -> None:
    """Reading the advice is a read of the case's content: on record with the advice shown."""
    if advice:
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.READ,
            object_type="SpecialistAdvice",
            object_id="",
            purpose=purpose,
            case_id=access.case.pk,
            details={"advice": [a.pk for a in advice]},
        )
