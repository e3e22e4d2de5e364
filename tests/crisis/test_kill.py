"""Exactly once, nothing lost: a worker killed (SIGKILL) while it hands the alerts of a crisis with
ten recipients to the mail server; after a restart every recipient has exactly one alert per channel,
each accepted. A mail in flight at the moment of the kill may reach the server twice — with the same
Message-ID, so that the receiving side can tell the repeat."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.audit.test_sealer import _run

pytestmark = pytest.mark.django_db


class SlowInbox:
    """A mail server that takes its time to accept each message."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []  # (recipient, Message-ID)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.25)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        if str(message["Message-ID"]).startswith("<alert-"):  # not the case world's other messages
            self.received.append((str(message["To"]), str(message["Message-ID"])))
        return "250 OK"


SETUP = """
from datetime import timedelta
from django.utils import timezone
from tests import factories as f
from tests.crisis.test_crisis import _raise, _world
from tests.crisis.test_query_counts import _join_case
w = _world()
_join_case(w, 7)
crisis = _raise(w).crisis
# The setup's own mails (invitations, the agreement) are not what this test counts.
from schutznetz.notify.models import Alert
Alert.objects.filter(key__startswith="mail:").delete()
print(crisis.recipients.count())
"""
COUNTS = (
    "import json; from schutznetz.notify.models import Alert as A; "
    "print(json.dumps(sorted(A.objects.filter(key__startswith='crisis:')"
    ".values_list('recipient__email', 'channel', 'state'))))"
)


def test_a_worker_killed_during_the_fan_out_resumes_without_loss_or_duplicate(
    tmp_path: Path, subprocess_database_url: str
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = SlowInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env |= {
            "DATABASE_URL": subprocess_database_url,
            "SCHUTZNETZ_AUDIT_CHECKPOINT_DIR": str(tmp_path),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
        }
        _run(env, "migrate", "-v", "0")
        assert _run(env, "shell", "-c", SETUP).strip().splitlines()[-1] == "10"
        worker = subprocess.Popen(
            [sys.executable, "-m", "schutznetz.cli", "worker", "--once"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while len(inbox.received) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(inbox.received) >= 3, "the worker sent no mail"
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        assert len({to for to, _ in inbox.received}) < 10  # killed in the middle

        _run(env, "worker", "--once")  # the next worker picks up what is left
        rows = json.loads(_run(env, "shell", "-c", COUNTS).strip().splitlines()[-1])
        people = {to for to, _, _ in rows}
        assert len(people) == 10
        # Exactly one alert per person and channel, each accepted by its channel.
        assert sorted(rows) == sorted([p, c, "accepted"] for p in people for c in ("email", "in_app"))
        # Every person's mail reached the server; a repeat (the one in flight) carries the same id.
        assert {to for to, _ in inbox.received} == people
        for person in people:
            assert len({mid for to, mid in inbox.received if to == person}) == 1
        assert len(inbox.received) <= 11
    finally:
        controller.stop()
