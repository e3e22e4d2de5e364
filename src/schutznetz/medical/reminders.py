"""Escalation of consultations whose answer is overdue (run by ``schutznetz worker`` each round).

Each consultation is claimed with a conditional ``UPDATE``, so several workers never send the same
escalation twice. Messages name the case by pseudonym only.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from schutznetz.cases.services import timeline_add
from schutznetz.medical.models import Consultation
from schutznetz.network.queries import coordinators_of
from schutznetz.notify.services import notify


def escalate_overdue_consultations(*, now: datetime | None = None) -> int:
    """Tell the specialist's coordination and the asking doctor, once, that an answer is overdue."""
    now = now or timezone.now()
    overdue = Consultation.objects.filter(answered_at=None, escalated_at=None, due_at__lt=now).select_related(
        "case__child", "specialist", "requested_by"
    )
    count = 0
    for consultation in overdue:
        with transaction.atomic():
            claimed = Consultation.objects.filter(pk=consultation.pk, escalated_at=None, answered_at=None)
            if not claimed.update(escalated_at=now):
                continue
            where = f"Fall {consultation.case.child.pseudonym}"
            due = timezone.localtime(consultation.due_at)
            notify(
                recipients=[*coordinators_of(consultation.specialist_id), consultation.requested_by],
                kind="consultation_overdue",
                subject_id=consultation.case_id,
                title=f"Antwort der Fachberatung überfällig ({where})",
                body=(
                    f"Die pseudonymisierte Fallberatung ({where}) bei {consultation.specialist.name} "
                    f"sollte bis {due:%d.%m.%Y %H:%M} beantwortet sein."
                ),
                url=reverse("cases:detail", args=[consultation.case_id]),
            )
            timeline_add(
                consultation.case,
                None,
                consultation.specialist_id,
                "consultation",
                f"Antwort der Fachberatung ({consultation.specialist.name}) überfällig seit "
                f"{due:%d.%m.%Y %H:%M}; Koordination der Fachstelle und anfragende Person informiert.",
            )
            count += 1
    return count
