"""Reminders and escalations of tasks (case tasks and action items of meetings) and of the open
requests of a case (invitations into it, hand-overs of its lead).

Run by ``schutznetz worker`` each round. Each item is claimed with a conditional ``UPDATE``, so
several workers never send the same reminder twice. Delivery is ``notify``'s job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from schutznetz.cases.models import (
    CaseState,
    HandoverStatus,
    LeadHandover,
    LegalBasis,
    Participation,
    ParticipationStatus,
    Task,
    TaskStatus,
)
from schutznetz.cases.services import timeline_add
from schutznetz.network.models import Urgency
from schutznetz.network.queries import coordinators_of, on_call_at
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


def _halfway(sent: datetime, due: datetime) -> datetime:
    return sent + (due - sent) / 2


@dataclass(frozen=True)
class _Reminder:
    """One open request to remind of: an invitation into a case, or a hand-over of its lead."""

    model: type[Participation] | type[LeadHandover]
    pk: int
    sent: datetime
    respond_by: datetime
    receiver_id: int
    kind: str
    title: str
    url: str
    case_id: UUID


def _reminders() -> list[_Reminder]:
    invitations = (
        Participation.objects.filter(
            status=ParticipationStatus.INVITED, reminded_at=None, respond_by__isnull=False
        )
        .exclude(case__state=CaseState.CLOSED)
        .select_related("case__child")
    )
    handovers = (
        LeadHandover.objects.filter(status=HandoverStatus.PENDING, reminded_at=None, respond_by__isnull=False)
        .exclude(case__state=CaseState.CLOSED)
        .select_related("case__child")
    )
    return [
        _Reminder(
            Participation,
            p.pk,
            p.invited_at,
            p.respond_by,
            p.organisation_id,
            "participation_reminder",
            f"Erinnerung: Einladung in den Fall {p.case.child.pseudonym} wartet auf Ihre Antwort",
            reverse("cases:invitations"),
            p.case_id,
        )
        for p in invitations
        if p.respond_by is not None
    ] + [
        _Reminder(
            LeadHandover,
            h.pk,
            h.requested_at,
            h.respond_by,
            h.to_organisation_id,
            "handover_reminder",
            f"Erinnerung: Übernahme der Fallführung (Fall {h.case.child.pseudonym}) wartet auf Antwort",
            reverse("cases:detail", args=[h.case_id]),
            h.case_id,
        )
        for h in handovers
        if h.respond_by is not None
    ]


def remind_open_requests(*, now: datetime | None = None) -> int:
    """Half the response time gone and no answer: remind the receiving organisation's coordination
    (who answers invitations and hand-overs), once; not for a case closed meanwhile."""
    now = now or timezone.now()
    count = 0
    for item in _reminders():
        if now < _halfway(item.sent, item.respond_by):
            continue
        with transaction.atomic():  # the claim stands only if the notification is written
            if not _claim(item.model, item.pk, "reminded_at", now):
                continue
            notify(
                recipients=coordinators_of(item.receiver_id),
                kind=item.kind,
                subject_id=item.case_id,
                title=item.title,
                body=f"Antwort erbeten bis {timezone.localtime(item.respond_by):%d.%m.%Y %H:%M} Uhr.",
                url=item.url,
            )
            count += 1
    return count


def escalate_open_requests(*, now: datetime | None = None) -> int:
    """The response time is over and no answer: the receiving coordination is told it is overdue —
    for an urgent § 4 Abs. 3 KKG invitation also whoever of the receiving organisation is on call
    now — and the asking person, so that they can follow up by phone; on the timeline, once."""
    now = now or timezone.now()
    count = 0
    invitations = (
        Participation.objects.filter(
            status=ParticipationStatus.INVITED, escalated_at=None, respond_by__lte=now
        )
        .exclude(case__state=CaseState.CLOSED)
        .select_related("case__child", "organisation", "invited_by")
    )
    for p in invitations:
        with transaction.atomic():
            if not _claim(Participation, p.pk, "escalated_at", now):
                continue
            on_call = []
            if p.urgency == Urgency.URGENT and p.legal_basis == LegalBasis.KKG_4_3:
                on_call = [
                    s.membership.user for s in on_call_at(organisation_ids=[p.organisation_id], at=now)
                ]
            receivers = coordinators_of(p.organisation_id) + on_call
            pseudonym = p.case.child.pseudonym
            due = f"{timezone.localtime(p.respond_by):%d.%m.%Y %H:%M}"
            notify(
                recipients=receivers,
                kind="participation_overdue",
                subject_id=p.case_id,
                title=f"Überfällig: Einladung in den Fall {pseudonym} ist unbeantwortet"
                + (" (dringend)" if p.urgency == Urgency.URGENT else ""),
                body=f"Die Antwort war bis {due} Uhr erbeten. Bitte annehmen oder ablehnen.",
                url=reverse("cases:invitations"),
            )
            notify(
                recipients=[p.invited_by],
                kind="participation_overdue",
                subject_id=p.case_id,
                title=f"{p.organisation.name} hat die Einladung in den Fall {pseudonym} nicht beantwortet",
                body=f"Die Antwort war bis {due} Uhr erbeten; die Koordination dort ist erinnert. "
                "Bitte gegebenenfalls telefonisch nachfassen"
                + (f" ({p.organisation.phone})." if p.organisation.phone else "."),
                url=reverse("cases:detail", args=[p.case_id]),
            )
            timeline_add(
                p.case,
                None,
                p.organisation_id,
                "participation",
                f"Einladung an {p.organisation.name} bis {due} Uhr unbeantwortet: Koordination erinnert"
                + (", Rufbereitschaft informiert" if on_call else "")
                + ".",
            )
            count += 1
    handovers = (
        LeadHandover.objects.filter(status=HandoverStatus.PENDING, escalated_at=None, respond_by__lte=now)
        .exclude(case__state=CaseState.CLOSED)
        .select_related("case__child", "to_organisation", "requested_by")
    )
    for h in handovers:
        with transaction.atomic():
            if not _claim(LeadHandover, h.pk, "escalated_at", now):
                continue
            pseudonym = h.case.child.pseudonym
            due = f"{timezone.localtime(h.respond_by):%d.%m.%Y %H:%M}"
            notify(
                recipients=coordinators_of(h.to_organisation_id),
                kind="handover_overdue",
                subject_id=h.case_id,
                title=f"Überfällig: Übernahme der Fallführung (Fall {pseudonym}) ist unbeantwortet",
                body=f"Die Antwort war bis {due} Uhr erbeten. Bitte übernehmen oder ablehnen.",
                url=reverse("cases:detail", args=[h.case_id]),
            )
            notify(
                recipients=[h.requested_by],
                kind="handover_overdue",
                subject_id=h.case_id,
                title=f"{h.to_organisation.name} hat die Übernahme der Fallführung (Fall {pseudonym}) "
                "nicht beantwortet",
                body=f"Die Antwort war bis {due} Uhr erbeten; die Koordination dort ist erinnert.",
                url=reverse("cases:detail", args=[h.case_id]),
            )
            timeline_add(
                h.case,
                None,
                h.to_organisation_id,
                "handover_requested",
                f"Übergabe der Fallführung an {h.to_organisation.name} bis {due} Uhr unbeantwortet: "
                "Koordination erinnert.",
            )
            count += 1
    return count


def _claim(model: type[Participation] | type[LeadHandover], pk: int, field: str, now: datetime) -> bool:
    """Take the item for this worker: False if another one already sent it."""
    return bool(model.objects.filter(pk=pk, **{field: None}).update(**{field: now}))
