"""Escalations of the medical pathway (run by ``schutznetz worker`` each round): consultations whose
answer is overdue, reports whose receipt the Jugendamt has not confirmed in time, feedback (§ 4
Abs. 4 KKG) not given in time.

Each row is claimed with a conditional ``UPDATE``, so several workers never send the same
escalation twice. Messages name the case by pseudonym only.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from schutznetz.cases.services import timeline_add
from schutznetz.medical.models import Consultation, YouthOfficeReport
from schutznetz.network.queries import coordinators_of, on_call_at
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


def escalate_unacknowledged_reports(*, now: datetime | None = None) -> int:
    """A report whose receipt is not confirmed within the agreements' time: the Jugendamt's person on
    call now, its coordination and the reporting doctor are told, once, and the case's timeline
    says so. A further report on a case the Jugendamt already leads does not page its on-call duty:
    the case's lead person is told instead (the Jugendamt works the case already)."""
    now = now or timezone.now()
    overdue = YouthOfficeReport.objects.filter(
        acknowledged_at=None, escalated_at=None, due_at__lt=now
    ).select_related("case__child", "case__lead_user", "youth_office", "reported_by")
    count = 0
    for report in overdue:
        with transaction.atomic():
            claimed = YouthOfficeReport.objects.filter(pk=report.pk, escalated_at=None, acknowledged_at=None)
            if not claimed.update(escalated_at=now):
                continue
            leads = report.case.lead_organisation_id == report.youth_office_id
            on_call = [] if leads else on_call_at(organisation_ids=[report.youth_office_id], at=now)
            where = f"Fall {report.case.child.pseudonym}"
            due = timezone.localtime(report.due_at)
            notify(
                recipients=[
                    *(shift.membership.user for shift in on_call),
                    *([report.case.lead_user] if leads else []),
                    *coordinators_of(report.youth_office_id),
                    report.reported_by,
                ],
                kind="report_overdue",
                subject_id=report.case_id,
                title=f"Eingang einer Mitteilung nicht bestätigt ({where})",
                body=(
                    f"Der Eingang der Mitteilung nach § 4 Abs. 3 KKG ({where}) an {report.youth_office.name} "
                    f"sollte bis {due:%d.%m.%Y %H:%M} bestätigt sein."
                ),
                url=reverse("medical:report", args=[report.pk]),
            )
            told = ", ".join(shift.membership.user.display_name for shift in on_call)
            timeline_add(
                report.case,
                None,
                report.youth_office_id,
                "report",
                f"Eingang der Mitteilung an {report.youth_office.name} nicht bis {due:%d.%m.%Y %H:%M} "
                "bestätigt; "
                + (
                    f"fallführende Fachkraft ({report.case.lead_user.display_name}), "
                    if leads
                    else f"Rufbereitschaft ({told}), "
                    if told
                    else "keine Rufbereitschaft eingetragen; "
                )
                + "Koordination des Jugendamts und meldende Person informiert.",
            )
            count += 1
    return count


def remind_feedback_due(*, now: datetime | None = None) -> int:
    """§ 4 Abs. 4 KKG: the Jugendamt's lead person and coordination are reminded, once, when the
    feedback to the reporter is due and none was given."""
    now = now or timezone.now()
    due = YouthOfficeReport.objects.filter(
        feedback_due_at__lt=now, feedback_reminded_at=None, feedback__isnull=True
    ).select_related("case__child", "case__lead_user", "youth_office")
    count = 0
    for report in due:
        with transaction.atomic():
            if not YouthOfficeReport.objects.filter(pk=report.pk, feedback_reminded_at=None).update(
                feedback_reminded_at=now
            ):
                continue
            where = f"Fall {report.case.child.pseudonym}"
            lead = (
                [report.case.lead_user] if report.case.lead_organisation_id == report.youth_office_id else []
            )
            notify(
                recipients=[*lead, *coordinators_of(report.youth_office_id)],
                kind="report_feedback_due",
                subject_id=report.case_id,
                title=f"Rückmeldung an die meldende Stelle fällig ({where})",
                body="Die Rückmeldung nach § 4 Abs. 4 KKG an die meldende Stelle steht noch aus.",
                url=reverse("medical:report", args=[report.pk]),
            )
            timeline_add(
                report.case,
                None,
                report.youth_office_id,
                "report",
                "Rückmeldung nach § 4 Abs. 4 KKG an die meldende Stelle fällig; Jugendamt erinnert.",
            )
            count += 1
    return count
