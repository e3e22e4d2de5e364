"""Every mail is retried until the mail server accepts it, not only crisis alerts: with the server
down, a notification, a duty-mailbox mail and a meeting invitation with its calendar entry wait
with their state; once the server is back, each arrives exactly once."""

from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any

import time_machine
from aiosmtpd.controller import Controller
from django.utils import timezone

from schutznetz.notify.models import Alert, AlertState, Notification
from schutznetz.notify.services import deliver_due_alerts, mail_to_address, notify
from tests import factories as f
from tests.smtp import Inbox


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_mail_waits_for_a_server_that_is_down_and_arrives_once_when_it_is_back(
    network: f.Network, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    reader = network.dortmund_professional
    reader.email = "j.hoffmann@example.org"
    reader.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):  # tried at once: nobody listens yet
        notify(recipients=[reader], kind="test", title="Weitere Meldung zur laufenden Krise")
        mail_to_address(address="bereitschaft@jugendamt.example", title="Neue Mitteilung")
    mails = Alert.objects.filter(key__startswith="mail:")
    assert mails.count() == 2
    assert {(a.state, a.attempts) for a in mails} == {(AlertState.FAILED, 1)}
    assert all(a.last_error and a.next_attempt_at for a in mails)  # visible: why, and when again
    assert Notification.objects.get(recipient=reader).emailed_at is None

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert deliver_due_alerts() == 0  # not before the back-off is over
        with time_machine.travel(timezone.now() + timedelta(minutes=1)):
            assert deliver_due_alerts() == 2
            assert deliver_due_alerts() == 0  # once
        with time_machine.travel(timezone.now() + timedelta(hours=1)):
            assert deliver_due_alerts() == 0
    finally:
        controller.stop()
    subjects = sorted(str(m["Subject"]) for m in inbox.messages)
    assert subjects == [
        "[Schutznetz] Neue Mitteilung",
        "[Schutznetz] Weitere Meldung zur laufenden Krise",
    ]
    assert {a.state for a in mails.all()} == {AlertState.ACCEPTED}
    assert Notification.objects.get(recipient=reader).emailed_at is not None
