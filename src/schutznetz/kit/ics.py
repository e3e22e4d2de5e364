"""One iCalendar event (RFC 5545) for an invitation: its UID stays the same and SEQUENCE counts the
changes, so calendars update the entry instead of adding another."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText


@dataclass(frozen=True)
class Invitation:
    uid: str  # unique within this instance, e.g. "meeting-12"
    product: str  # what kind of event, for PRODID
    starts_at: datetime
    ends_at: datetime
    sequence: int
    summary: str
    location: str
    description: str
    path: str  # the page of the event, below SITE_URL
    organiser_email: str
    organiser_name: str
    cancelled: bool = False  # the same UID, STATUS:CANCELLED: calendars strike the entry


def invitation_ics(invitation: Invitation) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//Schutznetz//{invitation.product}//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if invitation.cancelled else "PUBLISH")
    event = Event()
    host = urlsplit(settings.SITE_URL).hostname or "schutznetz.invalid"
    event.add("uid", f"{invitation.uid}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", invitation.starts_at)
    event.add("dtend", invitation.ends_at)
    event.add("sequence", invitation.sequence)
    if invitation.cancelled:
        event.add("status", "CANCELLED")
    event.add("summary", invitation.summary)
    event.add("location", invitation.location)
    link = settings.SITE_URL + invitation.path
    event.add("description", f"{invitation.description}\n\n{link}".strip())
    organiser = vCalAddress(f"mailto:{invitation.organiser_email or settings.DEFAULT_FROM_EMAIL}")
    organiser.params["cn"] = vText(invitation.organiser_name)
    event["organizer"] = organiser
    event.add("url", link)
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
