"""Events are written with one INSERT and no lock; a single sealer gives them their place in the
chain afterwards, in batches that each commit on their own."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from schutznetz.audit import sealer
from schutznetz.audit.models import AuditAction, AuditEvent
from schutznetz.audit.services import audit_seal, audit_verify
from tests import factories as f
from tests.audit.test_audit import record


def test_an_event_waits_unsealed_until_its_transaction_commits(network: f.Network) -> None:
    waiting = AuditEvent.objects.filter(seq__isnull=True)
    before = waiting.count()  # the network's own, in the test's transaction
    record(3, sealed=False)
    assert waiting.count() == before + 3  # written, not yet sealed
    # One sealing waits for the commit, however many events the transaction wrote.
    pending = [entry[1] for entry in connection.run_on_commit if entry[1] is sealer._seal_now]
    assert len(pending) == 1
    pending[0]()  # what the commit runs
    assert not waiting.exists()
    assert audit_verify().ok and audit_verify().checked == before + 3


@pytest.mark.django_db(transaction=True)
def test_in_a_web_process_a_commit_only_wakes_the_sealer_thread_which_seals_within_a_second(
    settings: Any,
) -> None:
    settings.SCHUTZNETZ_AUDIT_SEALING = "background"
    try:
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            record(2, sealed=False)
        # The request's own connection did the two INSERTs and nothing more.
        assert [q["sql"].split()[0] for q in queries.captured_queries if "audit" in q["sql"]] == [
            "INSERT",
            "INSERT",
        ]
        deadline = time.monotonic() + 1.0
        while AuditEvent.objects.filter(seq__isnull=True).exists():
            assert time.monotonic() < deadline, "not sealed within a second"
            time.sleep(0.02)
        assert audit_verify().ok
    finally:
        sealer.stop()  # its connection must not outlive the test database


@pytest.mark.django_db(transaction=True)
def test_beside_a_sealer_process_a_commit_does_nothing_more_and_the_process_seals_within_a_second(
    settings: Any,
) -> None:
    """``schutznetz serve``'s way: the request only writes; ``audit seal --follow`` (``sealer.follow``)
    looks ten times a second and seals."""
    settings.SCHUTZNETZ_AUDIT_SEALING = "process"
    with transaction.atomic():
        record(2, sealed=False)
        assert not [entry for entry in connection.run_on_commit]  # nothing waits for the commit
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 2
    stop = threading.Event()
    follower = threading.Thread(target=sealer.follow, args=(stop,))
    follower.start()
    try:
        deadline = time.monotonic() + 1.0
        while AuditEvent.objects.filter(seq__isnull=True).exists():
            assert time.monotonic() < deadline, "not sealed within a second"
            time.sleep(0.02)
        record(1, sealed=False)  # committed at once (autocommit), sealed on the next look
        deadline = time.monotonic() + 1.0
        while AuditEvent.objects.filter(seq__isnull=True).exists():
            assert time.monotonic() < deadline, "not sealed within a second"
            time.sleep(0.02)
    finally:
        stop.set()
        follower.join(5)
    assert not follower.is_alive()
    assert audit_verify().ok and audit_verify().checked == 3


def test_a_rolled_back_change_leaves_no_event(network: f.Network) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(1)
        raise RuntimeError("the change fails")
    assert AuditEvent.objects.count() == before


def test_sealing_is_the_only_update_the_database_allows(network: f.Network) -> None:
    record(2, sealed=False)
    event = AuditEvent.objects.filter(seq__isnull=True).first()
    assert event is not None
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(purpose="anders", seq=999)
    audit_seal()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(seq=1000)


def test_unsealed_events_older_than_a_minute_are_an_alarm_on_the_health_check(
    network: f.Network, client: Client
) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    record(1, sealed=False)  # a moment ago: no alarm for it
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                at=timezone.now() - timezone.timedelta(minutes=2),
                action=AuditAction.READ,
                object_type="Case",
                object_id="1",
                purpose="Test",
            )
        ]
    )
    body = client.get("/healthz").json()
    assert body["status"] == "alarm" and "1 Protokolleintr" in body["alarms"]["audit"]
    audit_seal()
    assert client.get("/healthz").json()["status"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_writers_do_not_wait_for_each_other_and_the_chain_stays_whole() -> None:
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(50):
                with transaction.atomic():
                    record(2, sealed=False)  # sealed after each commit
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    audit_seal()
    result = audit_verify()
    assert result.ok and result.checked == 400 and result.unsealed == 0


def _run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "schutznetz.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


COUNTS = (
    "import json; from schutznetz.audit.models import AuditEvent as E; "
    "print(json.dumps([E.objects.count(), E.objects.filter(seq__isnull=False).count()]))"
)


def test_a_sealer_killed_in_the_middle_of_a_batch_loses_nothing_and_seals_nothing_twice(
    tmp_path: Path, subprocess_database_url: str
) -> None:
    waiting = 40_000
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env |= {"DATABASE_URL": subprocess_database_url, "SCHUTZNETZ_AUDIT_CHECKPOINT_DIR": str(tmp_path)}
    _run(env, "migrate", "-v", "0")
    _run(
        env,
        "shell",
        "-c",
        "from django.utils import timezone; from schutznetz.audit.models import AuditEvent as E; "
        "E.objects.bulk_create([E(at=timezone.now(), action='read', object_type='Case', object_id=str(i), "
        f"purpose='Test') for i in range({waiting})], batch_size=5000)",
    )
    sealer = subprocess.Popen(
        [sys.executable, "-m", "schutznetz.cli", "audit", "seal", "--batch-size", "2000"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sealer.stdout is not None
    first = sealer.stdout.readline()  # the sealer reports each committed batch
    assert "2000 Einträge versiegelt" in first, first
    time.sleep(0.05)  # into a later batch
    sealer.send_signal(signal.SIGKILL)
    sealer.wait()

    total, sealed = json.loads(_run(env, "shell", "-c", COUNTS).strip().splitlines()[-1])
    assert total == waiting  # nothing lost
    assert 0 < sealed < waiting and sealed % 2000 == 0  # whole batches only: the cut one rolled back
    assert f"{sealed} Einträge geprüft" in _run(env, "audit", "verify")

    out = _run(env, "audit", "seal", "--batch-size", "2000")  # the next sealer completes the chain
    assert f"{waiting - sealed} Einträge versiegelt" in out.splitlines()[-1]
    assert f"{waiting} Einträge geprüft" in _run(env, "audit", "verify")
