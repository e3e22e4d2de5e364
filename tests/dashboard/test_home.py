"""The start page says what waits: my open tasks (overdue first), unread messages, invitations and
lead hand-overs waiting for my organisation, my next meetings and consultations — in a fixed number
of queries; before login, what Schutznetz is and whom to ask for an account."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from schutznetz.cases import queries, services
from schutznetz.cases.models import CaseRole, LegalBasis, Task
from schutznetz.meetings import services as meeting_services
from schutznetz.meetings.models import MeetingKind
from schutznetz.network.models import Membership
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _meeting(network: f.Network, days: int) -> None:
    starts = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(10)))
    meeting_services.meeting_create(
        actor=network.dortmund_coordinator,
        organiser=network.dortmund,
        kind=MeetingKind.ROUND_TABLE,
        title=f"Runder Tisch {days}",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        location="Rathaus",
        invitees=[Membership.objects.get(user=network.dortmund_professional)],
    )


def _page(client: Client) -> tuple[str, int]:
    """The start page and how many queries it took."""
    with CaptureQueriesContext(connection) as queries_run:
        response = client.get("/")
    assert response.status_code == 200
    return response.text, len(queries_run)


def test_the_start_page_counts_what_waits_and_lists_the_next_steps(
    world: f.CaseWorld, client: Client
) -> None:
    network = world.network
    overdue = Task.objects.get(case=world.case)
    Task.objects.filter(pk=overdue.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    other = f.make_case(network.practice_doctor, network.practice, f.child_identity("Ben", "Kurz"))
    services.participation_invite(
        actor=network.practice_doctor,
        access=queries.case_get_for(network.practice_doctor, other.pk),
        organisation=network.dortmund,
        role=CaseRole.YOUTH_OFFICE,
        legal_basis=LegalBasis.KKG_4_3,
    )
    _meeting(network, 3)

    text, small = _page(login(client, world.lead))
    assert "Was auf Sie wartet" in text
    assert '<span class="counter">1</span> offene Aufgabe</a>' in text and "davon 1 überfällig" in text
    assert '<span class="counter">1</span> Einladung an meine Organisation' in text
    assert "überfällig</span></span> " in text and f"(Fall {world.case.child.pseudonym})" in text
    assert "Runder Tisch 3" in text

    # More of everything: the page asks the database as often.
    for n in range(4):
        services.task_create(
            actor=world.lead,
            access=queries.case_get_for(world.lead, world.case.pk),
            title=f"Schritt {n}",
            owner=world.lead,
            due_date=timezone.localdate() + timedelta(days=n + 1),
        )
        _meeting(network, n + 4)
    text, more = _page(client)
    assert more == small and "Schritt 3" in text


def test_before_login_the_page_says_what_schutznetz_is_and_whom_to_ask(
    client: Client, settings: object
) -> None:
    settings.ACCOUNT_CONTACT = "Netzwerkkoordination, Tel. 0231 50-1001"  # type: ignore[attr-defined]
    text = client.get("/account/login/").text
    assert "Schutznetz ist die gemeinsame Arbeitsplattform" in text
    assert "Ansprechpartner im Netzwerk: Netzwerkkoordination, Tel. 0231 50-1001" in text
    assert "/api/docs/" not in text  # the API's documentation is for the signed-in
