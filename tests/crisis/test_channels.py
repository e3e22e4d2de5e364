"""Further channels of a crisis alert, configured per organisation: an SMS through the organisation's
mail-to-SMS gateway and a signed HTTPS webhook (tested against a local HTTP server that checks the
signature). Nothing counts as sent before the channel accepted it; a refusal is retried."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from schutznetz.network.services import organisation_update
from schutznetz.notify.models import Alert
from schutznetz.notify.services import alert_deliver, deliver_due_alerts
from tests import factories as f
from tests.crisis.test_crisis import CrisisWorld, _raise, world  # noqa: F401 (fixture)
from tests.smtp import Inbox


class Receiver:
    """A local alerting system: answers with the queued statuses, then 200; checks every signature."""

    def __init__(self) -> None:
        self.secret = ""
        self.statuses: list[int] = []
        self.accepted: list[dict[str, Any]] = []
        self.bad_signatures = 0


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            mac = hmac.new(
                state.secret.encode(),
                self.headers["X-Schutznetz-Timestamp"].encode() + b"." + body,
                hashlib.sha256,
            )
            if not hmac.compare_digest(f"sha256={mac.hexdigest()}", self.headers["X-Schutznetz-Signature"]):
                state.bad_signatures += 1
                self.send_response(401)
            elif state.statuses:
                self.send_response(state.statuses.pop(0))
            else:
                state.accepted.append(json.loads(body))
                self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_port}/alarm"
    server.shutdown()


def test_the_webhook_is_signed_retried_after_a_refusal_and_accepted_once(
    world: CrisisWorld,  # noqa: F811
    receiver: tuple[Receiver, str],
) -> None:
    state, url = receiver
    clinic = world.clinic
    head = f.make_user("kjpleitung")
    f.make_member(head, clinic, "coordinator")
    organisation_update(actor=head, organisation=clinic, data={"alert_webhook_url": url})
    clinic.refresh_from_db()
    assert len(clinic.alert_webhook_secret) == 64
    state.secret = clinic.alert_webhook_secret
    state.statuses = [500]
    crisis = _raise(world).crisis
    hook = Alert.objects.get(channel="webhook")
    assert hook.recipient == world.clinic_on_call and hook.state == "pending"

    assert not alert_deliver(hook.pk)  # the system answered 500
    hook.refresh_from_db()
    assert (
        hook.state == "failed" and hook.last_error == "ChannelRefused: HTTP 500" and hook.accepted_at is None
    )
    Alert.objects.filter(pk=hook.pk).update(next_attempt_at=timezone.now())
    assert alert_deliver(hook.pk)
    assert not alert_deliver(hook.pk)  # nothing twice
    hook.refresh_from_db()
    assert hook.state == "accepted" and hook.attempts == 2
    assert state.bad_signatures == 0 and len(state.accepted) == 1
    sent = state.accepted[0]
    assert (
        sent["alert"] == hook.pk and sent["phone"] == "0231 777" and f"/krisen/{crisis.pk}/" in sent["link"]
    )
    # A forged or altered alert would not pass: a key of another organisation does not sign it.
    state.secret = "x" * 64
    Alert.objects.filter(pk=hook.pk).update(state="pending", next_attempt_at=timezone.now())
    assert not alert_deliver(hook.pk) and state.bad_signatures == 1


def test_an_unreachable_webhook_is_retried_and_the_board_shows_it(
    client: Client,
    world: CrisisWorld,  # noqa: F811
) -> None:
    head = f.make_user("kjpleitung")
    f.make_member(head, world.clinic, "coordinator")
    organisation_update(
        actor=head, organisation=world.clinic, data={"alert_webhook_url": "http://127.0.0.1:9/"}
    )
    crisis = _raise(world).crisis
    assert deliver_due_alerts() >= 3  # the mails go; the webhook does not
    hook = Alert.objects.get(channel="webhook")
    assert hook.state == "failed" and hook.next_attempt_at and hook.next_attempt_at > timezone.now()
    from tests.conftest import login

    login(client, world.case.participant)
    page = client.get(f"/krisen/{crisis.pk}/stand/").content.decode()
    assert "Webhook: <strong>gescheitert</strong>" in page


def test_the_sms_goes_through_the_organisations_gateway(world: CrisisWorld, smtp: Inbox) -> None:  # noqa: F811
    net = world.case.network
    organisation_update(
        actor=net.dortmund_coordinator,
        organisation=net.dortmund,
        data={"alert_sms_gateway": "{telefon}@sms.example.org"},
    )
    _raise(world)
    sms = Alert.objects.get(channel="sms")
    assert sms.recipient == net.dortmund_professional and sms.address == "+49231501003@sms.example.org"
    assert deliver_due_alerts() == 4  # three mails and the SMS
    assert "+49231501003@sms.example.org" in [m["To"] for m in smtp.messages]  # E.164


def test_bad_channel_settings_are_refused(world: CrisisWorld) -> None:  # noqa: F811
    net = world.case.network
    for data in (
        {"alert_sms_gateway": "sms.example.org"},
        {"alert_webhook_url": "http://alarm.example.org/"},
        {"alert_webhook_url": "ftp://127.0.0.1/"},
    ):
        with pytest.raises(ValidationError):
            organisation_update(actor=net.dortmund_coordinator, organisation=net.dortmund, data=data)
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(net.dortmund_coordinator)}")
    changed = api.patch(
        f"/api/v1/organisations/{net.dortmund.pk}/",
        {"alert_webhook_url": "https://alarm.example.org/"},
        "application/json",
    )
    assert changed.status_code == 200
    assert "alert_webhook_secret" not in changed.json()
    secret = api.get(f"/api/v1/organisations/{net.dortmund.pk}/alert-channels/").json()[
        "alert_webhook_secret"
    ]
    assert len(secret) == 64
    outsider = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(world.case.outsider)}")
    assert outsider.get(f"/api/v1/organisations/{net.dortmund.pk}/alert-channels/").status_code == 403
