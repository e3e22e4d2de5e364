"""Documents of a meeting: the iCalendar invitation and the minutes as PDF."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from schutznetz.kit.pdf import render_pdf
from schutznetz.meetings.queries import MeetingDetail


def meeting_ics(detail: MeetingDetail) -> bytes:
    """One VEVENT; the UID stays the same and SEQUENCE counts changes, so calendars update it."""
    meeting = detail.access.meeting
    calendar = Calendar()
    calendar.add("prodid", "-//Schutznetz//Netzwerktreffen//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    host = urlsplit(settings.SITE_URL).hostname or "schutznetz.invalid"
    event.add("uid", f"meeting-{meeting.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("sequence", meeting.sequence)
    event.add("summary", f"{meeting.get_kind_display()}: {meeting.title}")
    event.add("location", meeting.location)
    description = meeting.agenda or ""
    link = settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk])
    event.add("description", f"{description}\n\n{link}".strip())
    organiser = vCalAddress(f"mailto:{meeting.created_by.email or settings.DEFAULT_FROM_EMAIL}")
    organiser.params["cn"] = vText(meeting.organiser.name)
    event["organizer"] = organiser
    event.add("url", link)
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


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
