"""Documents of a meeting: the iCalendar invitation and the minutes as PDF."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from schutznetz.kit.ics import Invitation, invitation_ics
from schutznetz.kit.pdf import render_pdf
from schutznetz.meetings.models import Meeting
from schutznetz.meetings.queries import MeetingDetail


def meeting_ics(detail: MeetingDetail) -> bytes:
    return meeting_calendar(detail.access.meeting)


def calendar_attachment(reference: str, recipient_id: int) -> tuple[str, bytes, str] | None:
    """The meeting's current calendar entry for a mail to one of its invitees (registered with
    ``notify``); None once the person is no longer invited or the meeting is gone."""
    meeting = (
        Meeting.objects.filter(pk=int(reference), attendees__user_id=recipient_id)
        .select_related("organiser", "created_by")
        .first()
    )
    if meeting is None:
        return None
    method = "CANCEL" if meeting.cancelled_at else "PUBLISH"  # as the entry's METHOD (kit.ics)
    return f"treffen-{meeting.pk}.ics", meeting_calendar(meeting), f"text/calendar; method={method}"


def meeting_calendar(meeting: Meeting) -> bytes:
    return invitation_ics(
        Invitation(
            uid=f"meeting-{meeting.pk}",
            product="Netzwerktreffen",
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            sequence=meeting.sequence,
            summary=meeting.title
            if meeting.title_names_kind
            else f"{meeting.get_kind_display()}: {meeting.title}",
            location=meeting.location,
            description=meeting.agenda or "",
            path=reverse("meetings:detail", args=[meeting.pk]),
            organiser_email=meeting.created_by.email,
            organiser_name=meeting.organiser.name,
            cancelled=meeting.cancelled_at is not None,
        )
    )


def minutes_pdf(detail: MeetingDetail) -> bytes:
    return render_pdf(
        "meetings/minutes_pdf.html",
        {
            "detail": detail,
            "meeting": detail.access.meeting,
            "network_name": settings.NETWORK_NAME,
            "printed_at": timezone.localtime(),
        },
    )
