"""Reminders and escalations of tasks (case tasks and action items of meetings).

Run by ``schutznetz worker`` each round. Each task is claimed with a conditional ``UPDATE``, so
several workers never send the same reminder twice. Delivery is ``notify``'s job.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from schutznetz.cases.models import CaseState, Participation, ParticipationStatus, Task, TaskStatus
from schutznetz.cases.services import timeline_add
from schutznetz.network.queries import coordinators_of
from schutznetz.notify.services import notify


def task_place(task: Task) -> tuple[str, str]:
    """Where a task belongs, for a notification: the case by pseudonym, or the meeting by title."""
    if task.case is not None:
        return f"Fall {task.case.child.pseudonym}", reverse("cases:detail", args=[task.case.pk])
    assert task.meeting is not None  # a check constraint: a task belongs to a case or a meeting
    return f"Netzwerktreffen „{task.meeting.title}“", reverse("meetings:detail", args=[task.meeting.pk])


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Remind task owners of tasks due today or tomorrow, once per task."""
    today = timezone.localdate(now or timezone.now())
    due = (
        Task.objects.filter(
            status=TaskStatus.OPEN,
            reminder_sent_at=None,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=1),
        )
        .exclude(case__state=CaseState.CLOSED)
        .select_related("owner", "case__child", "meeting")
    )
    count = 0
    for item in due:
        with transaction.atomic():
            claimed = Task.objects.filter(pk=item.pk, reminder_sent_at=None).update(
                reminder_sent_at=timezone.now()
            )
            if not claimed:
                continue  # another worker took it
            when = "heute" if item.due_date == today else "morgen"
            where, url = task_place(item)
            # Task titles are free text and may name people: mails carry only the pseudonym.
            notify(
                recipients=[item.owner],
                kind="task_reminder",
                subject_id=item.case_id,
                title=f"Aufgabe {when} fällig ({where})",
                body=f"Eine Ihrer Aufgaben ({where}) ist am {item.due_date:%d.%m.%Y} fällig.",
                url=url,
            )
            count += 1
    return count


def escalate_overdue_tasks(*, now: datetime | None = None) -> int:
    """Tell the coordination of the lead organisation (of the case) or of the organiser (of the
    meeting) about each overdue task, once."""
    today = timezone.localdate(now or timezone.now())
    overdue = (
        Task.objects.filter(status=TaskStatus.OPEN, escalated_at=None, due_date__lt=today)
        .exclude(case__state=CaseState.CLOSED)
        .select_related("owner", "case__child", "meeting")
    )
    count = 0
    for item in overdue:
        with transaction.atomic():
            if not Task.objects.filter(pk=item.pk, escalated_at=None).update(escalated_at=timezone.now()):
                continue
            if item.case is not None:
                responsible = item.case.lead_organisation_id
            else:
                assert item.meeting is not None
                responsible = item.meeting.organiser_id
            where, url = task_place(item)
            notify(
                recipients=coordinators_of(responsible),
                kind="task_overdue",
                subject_id=item.case_id,
                title=f"Überfällige Aufgabe ({where})",
                body=(
                    f"Eine Aufgabe ({where}; zuständig: {item.owner.display_name}) war am "
                    f"{item.due_date:%d.%m.%Y} fällig und ist nicht erledigt."
                ),
                url=url,
            )
            count += 1
    return count


def end_lapsed_read_access(*, now: datetime | None = None) -> int:
    """Read-only parts past their day end for good (access already stopped at ``valid_until``; this
    records it, so that the organisation can be asked into the case again)."""
    now = now or timezone.now()
    lapsed = Participation.objects.filter(
        status=ParticipationStatus.ACTIVE, read_only=True, valid_until__lte=now
    ).select_related("case")
    count = 0
    for participation in lapsed:
        with transaction.atomic():
            if not Participation.objects.filter(
                pk=participation.pk, status=ParticipationStatus.ACTIVE
            ).update(status=ParticipationStatus.ENDED):
                continue
            timeline_add(
                participation.case,
                None,
                participation.organisation_id,
                "participation",
                "Befristeter Lesezugriff auf die Fallgeschichte beendet.",
            )
            count += 1
    return count
