"""Notifications: inbox rows, e-mail through the task queue, reminders and escalations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from schutznetz.notify.models import Notification

if TYPE_CHECKING:
    from schutznetz.accounts.models import User
    from schutznetz.cases.models import Task

MAIL_FOOTER = (
    "\n\n—\nDiese Nachricht enthält bewusst keine personenbezogenen Daten. "
    "Einzelheiten sehen Sie nach der Anmeldung in Schutznetz."
)


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    case_id: object = None,
) -> list[Notification]:
    """Put a message in each recipient's inbox and e-mail it once the transaction commits."""
    created = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, title=title, body=body, url=url, case_id=case_id)
        for user in {u.pk: u for u in recipients if u.is_active}.values()
    )
    ids = [n.pk for n in created]
    transaction.on_commit(lambda: [send_notification_email.enqueue(pk) for pk in ids])
    return created


@task()
def send_notification_email(notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if notification.emailed_at or not notification.recipient.email:
        return
    link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
    send_mail(
        subject=f"[Schutznetz] {notification.title}",
        message=f"{notification.body}{link}{MAIL_FOOTER}",
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Remind task owners of tasks due today or tomorrow, once per task."""
    from schutznetz.cases.models import CaseState, Task, TaskStatus

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
            where, url = _task_place(item)
            # Task titles are free text and may name people: mails carry only the pseudonym.
            notify(
                recipients=[item.owner],
                kind="task_reminder",
                case_id=item.case_id,
                title=f"Aufgabe {when} fällig ({where})",
                body=f"Eine Ihrer Aufgaben ({where}) ist am {item.due_date:%d.%m.%Y} fällig.",
                url=url,
            )
            count += 1
    return count


def _task_place(task: Task) -> tuple[str, str]:
    """Where a task belongs, for a notification: the case by pseudonym, or the meeting by title."""
    if task.case_id is None:
        return f"Netzwerktreffen „{task.meeting.title}“", f"/treffen/{task.meeting_id}/"  # type: ignore[union-attr]
    return f"Fall {task.case.child.pseudonym}", f"/faelle/{task.case_id}/"  # type: ignore[union-attr]


def escalate_overdue_tasks(*, now: datetime | None = None) -> int:
    """Tell the coordination of the lead organisation (of the case) or of the organiser (of the
    meeting) about each overdue task, once."""
    from schutznetz.cases.models import CaseState, Task, TaskStatus
    from schutznetz.network.models import Membership, Role

    today = timezone.localdate(now or timezone.now())
    overdue = (
        Task.objects.filter(status=TaskStatus.OPEN, escalated_at=None, due_date__lt=today)
        .exclude(case__state=CaseState.CLOSED)
        .select_related("owner", "case__child", "case__lead_organisation", "meeting__organiser")
    )
    count = 0
    for item in overdue:
        with transaction.atomic():
            if not Task.objects.filter(pk=item.pk, escalated_at=None).update(escalated_at=timezone.now()):
                continue
            responsible = item.case.lead_organisation if item.case else item.meeting.organiser  # type: ignore[union-attr]
            where, url = _task_place(item)
            coordinators = [
                m.user
                for m in Membership.objects.filter(
                    organisation=responsible,
                    is_active=True,
                    role__in=[Role.COORDINATOR, Role.ADMIN],
                ).select_related("user")
            ]
            notify(
                recipients=coordinators,
                kind="task_overdue",
                case_id=item.case_id,
                title=f"Überfällige Aufgabe ({where})",
                body=(
                    f"Eine Aufgabe ({where}; zuständig: {item.owner.display_name}) war am "
                    f"{item.due_date:%d.%m.%Y} fällig und ist nicht erledigt."
                ),
                url=url,
            )
            count += 1
    return count
