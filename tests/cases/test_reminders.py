"""Task reminders and escalations (cases.reminders) arrive through delivery (notify) as real e-mail at
a local SMTP server; time is moved, not slept."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from django.utils import timezone

from schutznetz.cases.reminders import escalate_overdue_tasks, send_due_reminders
from schutznetz.notify.models import Notification
from tests import factories as f
from tests.smtp import Inbox, body


def test_reminder_then_escalation_arrive_by_mail(
    smtp: Inbox, world: f.CaseWorld, django_capture_on_commit_callbacks: Any
) -> None:
    task = world.case.tasks.get()  # due in three days, owner: the lead professional
    pseudonym = world.case.child.pseudonym
    day_before = timezone.now() + timedelta(days=2)
    with time_machine.travel(day_before), django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0  # once only
    reminder = smtp.messages[-1]
    assert reminder["To"] == world.lead.email
    assert reminder["Subject"].strip() == f"[Schutznetz] Aufgabe morgen fällig (Fall {pseudonym})"
    assert "Meier" not in body(reminder) and "Mia" not in body(reminder)
    assert f"/faelle/{world.case.pk}/" in body(reminder)  # the link to the case, by its URL name

    with (
        time_machine.travel(timezone.now() + timedelta(days=5)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert escalate_overdue_tasks() == 1
        assert escalate_overdue_tasks() == 0
    escalation = smtp.messages[-1]
    coordinator = world.network.dortmund_coordinator
    assert escalation["To"] == coordinator.email
    assert escalation["Subject"].strip() == f"[Schutznetz] Überfällige Aufgabe (Fall {pseudonym})"
    assert task.due_date.strftime("%d.%m.%Y") in body(escalation)
    assert Notification.objects.filter(
        recipient=coordinator, kind="task_overdue", emailed_at__isnull=False
    ).exists()


def test_closed_cases_and_done_tasks_are_not_reminded(
    smtp: Inbox, world: f.CaseWorld, django_capture_on_commit_callbacks: Any
) -> None:
    from schutznetz.cases import queries, services

    services.case_close(
        actor=world.lead,
        access=queries.case_get_for(world.lead, world.case.pk),
        reason="Hilfe eingeleitet",
        open_tasks_note="entfällt",
    )
    with (
        time_machine.travel(timezone.now() + timedelta(days=10)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_due_reminders() == 0 and escalate_overdue_tasks() == 0
    assert smtp.messages == []
