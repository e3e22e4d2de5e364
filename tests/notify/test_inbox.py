"""Delivery: a message lands in the inbox of each active recipient, and only there."""

from __future__ import annotations

from typing import Any

from django.test import Client

from schutznetz.notify.models import Notification
from schutznetz.notify.services import notify
from tests import factories as f
from tests.conftest import login


def test_messages_reach_active_recipients_once_and_are_read_in_their_own_inbox(
    client: Client, network: f.Network, django_capture_on_commit_callbacks: Any
) -> None:
    reader, other = network.dortmund_professional, network.bochum_coordinator
    gone = f.make_user("ausgeschieden", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[reader, reader, gone], kind="test", title="Neue Aufgabe", url="/aufgaben/")
        notify(recipients=[other], kind="test", title="Nur für Bochum")
    assert Notification.objects.filter(recipient=reader).count() == 1
    assert not Notification.objects.filter(recipient=gone).exists()

    login(client, reader)
    page = client.get("/nachrichten/").text
    assert "Neue Aufgabe" in page and "Nur für Bochum" not in page
    assert Notification.objects.get(recipient=reader).read_at is not None
    assert Notification.objects.get(recipient=other).read_at is None
