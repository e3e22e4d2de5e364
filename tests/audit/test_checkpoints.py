"""Checkpoints: the signed head of the audit chain, written outside the database when it has grown,
and copied to a witness."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from schutznetz.audit.checkpoints import audit_checkpoint, checkpoint_path, read_checkpoints
from schutznetz.audit.keys import get_audit_keys
from schutznetz.audit.models import AuditEvent
from tests import factories as f
from tests.audit.test_audit import record


def test_a_checkpoint_is_written_only_when_the_chain_has_grown(network: f.Network) -> None:
    record(3)
    first = audit_checkpoint()
    assert first is not None and first.seq == AuditEvent.objects.count()
    assert audit_checkpoint() is None  # nothing new: no second line
    record(1)
    second = audit_checkpoint()
    assert second is not None and second.seq == first.seq + 1
    good, bad = read_checkpoints()
    assert [c.seq for c in good] == [first.seq, second.seq] and not bad
    line = json.loads(checkpoint_path().read_text().splitlines()[-1])
    assert line["signer"] == get_audit_keys().signer_id
    assert line["mac"] == AuditEvent.objects.get(seq=second.seq).mac


def test_the_command_writes_one_by_hand_and_verify_reports_it(network: f.Network) -> None:
    record(2)
    out = StringIO()
    call_command("audit", "checkpoint", stdout=out)
    head = AuditEvent.objects.count()
    assert f"Checkpoint geschrieben: Eintrag {head}" in out.getvalue()
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert f"Abgeglichen mit 1 signierten Checkpoints, der letzte bei Eintrag {head}" in out.getvalue()


def test_verify_warns_without_a_checkpoint(network: f.Network) -> None:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "Warnung: kein signierter Checkpoint" in out.getvalue()


def test_the_witness_gets_a_copy_by_mail(network: f.Network, settings: Any) -> None:
    settings.SCHUTZNETZ_AUDIT_WITNESS_EMAIL = ["datenschutz@jugendamt.example"]
    record(1)
    checkpoint = audit_checkpoint()
    assert checkpoint is not None
    [message] = mail.outbox
    assert message.to == ["datenschutz@jugendamt.example"]
    assert checkpoint.signature in message.body and get_audit_keys().public_key in message.body


def test_a_witness_url_must_be_https(
    network: f.Network, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.SCHUTZNETZ_AUDIT_WITNESS_URL = "file:///etc/passwd"
    record(1)
    assert audit_checkpoint() is not None  # the file is the record; the witness is refused
    assert "must be an https:// address" in caplog.text
