"""Meeting invitations left unanswered: the invitee is reminded (half-way between the invitation and
the meeting, at the latest two days before), then — a day before the meeting, or three quarters of
the way for an invitation at shorter notice — the coordination of the invitee's organisation and the
organiser are told. Once each; run by ``schutznetz worker``, each
item claimed with a conditional ``UPDATE`` in the transaction that writes its messages."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from schutznetz.meetings.models import AttendeeResponse, MeetingAttendee
from schutznetz.network.queries import coordinators_of
from schutznetz.notify.services import notify

REMIND_BEFORE = timedelta(days=2)
ESCALATE_BEFORE = timedelta(days=1)


def _unanswered(now: datetime, field: str) -> list[MeetingAttendee]:
    return list(
        MeetingAttendee.objects.filter(
            response=AttendeeResponse.INVITED,
            meeting__cancelled_at__isnull=True,
            meeting__starts_at__gt=now,
            **{f"{field}__isnull": True},
        ).select_related("meeting__organiser", "meeting__created_by", "user", "organisation")
    )


def _remind_at(attendee: MeetingAttendee) -> datetime:
    """Half-way between invitation and meeting, at the latest two days before — unless the invitation
    came later than that: then half-way."""
    starts, invited = attendee.meeting.starts_at, attendee.invited_at
    halfway = invited + (starts - invited) / 2
    latest = starts - REMIND_BEFORE
    return min(halfway, latest) if latest > invited else halfway


def _escalate_at(attendee: MeetingAttendee) -> datetime:
    """A day before the meeting — or, for an invitation at shorter notice, three quarters of the way
    from the invitation to the meeting: never in the minute it is sent, never before the reminder."""
    starts, invited = attendee.meeting.starts_at, attendee.invited_at
    day_before = starts - ESCALATE_BEFORE
    return day_before if day_before > _remind_at(attendee) else invited + (starts - invited) * 3 / 4


def _claim(pk: int, field: str, now: datetime) -> bool:
    return bool(MeetingAttendee.objects.filter(pk=pk, **{field: None}).update(**{field: now}))


def remind_unanswered_meeting_invitations(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    count = 0
    for attendee in _unanswered(now, "reminded_at"):
        meeting = attendee.meeting
        if now < _remind_at(attendee):
            continue
        with transaction.atomic():
            if not _claim(attendee.pk, "reminded_at", now):
                continue
            when = f"{timezone.localtime(meeting.starts_at):%d.%m.%Y um %H:%M} Uhr"
            notify(
                recipients=[attendee.user],
                kind="meeting_reminder",
                title=f"Erinnerung: Bitte sagen Sie zu oder ab – {meeting.title} am {when}",
                body=f"{meeting.organiser.name} hat Sie zu {meeting.label} eingeladen; "
                "Ihre Antwort fehlt noch.",
                url=reverse("meetings:detail", args=[meeting.pk]),
                attachment=f"meeting:{meeting.pk}",
            )
            count += 1
    return count


def escalate_unanswered_meeting_invitations(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    count = 0
    for attendee in _unanswered(now, "escalated_at"):
        meeting = attendee.meeting
        if now < _escalate_at(attendee):
            continue
        with transaction.atomic():
            if not _claim(attendee.pk, "escalated_at", now):
                continue
            local = timezone.localtime(meeting.starts_at)
            name = attendee.user.display_name
            url = reverse("meetings:detail", args=[meeting.pk])
            notify(
                recipients=[u for u in coordinators_of(attendee.organisation_id) if u.pk != attendee.user_id],
                kind="meeting_unanswered",
                title=f"Unbeantwortet: Einladung von {name} zu {meeting.title} am {local:%d.%m.%Y}",
                body=f"{name} ({attendee.organisation.name}) hat auf die Einladung zu {meeting.label} am "
                f"{local:%d.%m.%Y, %H:%M} Uhr nicht geantwortet. Bitte klären, wer teilnimmt.",
                url=url,
            )
            notify(
                recipients=[meeting.created_by],
                kind="meeting_unanswered",
                title=f"{name} hat auf die Einladung zu {meeting.title} nicht geantwortet",
                body=f"Die Koordination von {attendee.organisation.name} ist informiert.",
                url=url,
            )
            count += 1
    return count
