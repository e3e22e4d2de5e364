"""Documents of a case conference: the invitation (.ics) and the minutes (PDF).

The calendar entry names the case by its pseudonym only: calendars are synchronised to phones and
shared mailboxes."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from schutznetz.kit.ics import Invitation, invitation_ics
from schutznetz.kit.pdf import render_pdf
from schutznetz.welfare.queries import ConferenceDetail
from schutznetz.welfare.services import BILLING_CODE


def conference_ics(detail: ConferenceDetail) -> bytes:
    conference = detail.access.conference
    return invitation_ics(
        Invitation(
            uid=f"conference-{conference.pk}",
            product="Fallkonferenz",
            starts_at=conference.starts_at,
            ends_at=conference.ends_at,
            sequence=conference.sequence,
            summary=f"Fallkonferenz {conference.case.child.pseudonym}",
            location=conference.location or conference.get_mode_display(),
            description=f"Fallkonferenz ({conference.get_mode_display()}); Tagesordnung auf der Seite:",
            path=reverse("welfare:conference", args=[conference.pk]),
            organiser_email=conference.created_by.email,
            organiser_name=conference.organiser.name,
        )
    )


def minutes_pdf(detail: ConferenceDetail) -> bytes:
    return render_pdf(
        "welfare/conference_pdf.html",
        {
            "detail": detail,
            "conference": detail.access.conference,
            "billing_code": BILLING_CODE,
            "network_name": settings.NETWORK_NAME,
            "printed_at": timezone.localtime(),
        },
    )
