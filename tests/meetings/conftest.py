"""The meeting tests' world: a round table of the Dortmund youth office with two invitees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from schutznetz.accounts.models import User
from schutznetz.meetings import services
from schutznetz.meetings.models import Meeting, MeetingKind
from schutznetz.network.models import Membership
from tests import factories as f


@dataclass
class World:
    net: f.Network
    meeting: Meeting
    organiser: User  # coordinator of the Dortmund youth office
    doctor: User  # invited from the practice
    outsider: User  # care provider, not invited


def start(days: int = 7, hour: int = 15) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def membership(user: User) -> Membership:
    return Membership.objects.get(user=user, is_active=True)


@pytest.fixture
def world(network: f.Network) -> World:
    meeting = services.meeting_create(
        actor=network.dortmund_coordinator,
        organiser=network.dortmund,
        kind=MeetingKind.ROUND_TABLE,
        title="Runder Tisch Medizin und Jugendhilfe",
        starts_at=start(),
        ends_at=start() + timedelta(hours=2),
        location="Jugendamt Dortmund, Raum 2.14",
        agenda="1. Rückmeldungen nach § 4 Abs. 4 KKG\n2. Erreichbarkeit am Wochenende",
        invitees=[membership(network.practice_doctor), membership(network.dortmund_professional)],
    )
    return World(network, meeting, network.dortmund_coordinator, network.practice_doctor, network.outsider)
