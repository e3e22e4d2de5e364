"""An attacker with SQL access to the database tampers with the audit trail; `audit verify` names
the first position affected and the kind of each change, and the untouched chain verifies.

The MACs are keyed (``SCHUTZNETZ_AUDIT_KEY``, not in the database) and the chain's head is signed
into a checkpoint file outside the database, so neither recomputing the MACs nor cutting off the
newest rows goes unnoticed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from schutznetz.audit.checkpoints import audit_checkpoint, checkpoint_path
from schutznetz.audit.keys import get_audit_keys
from schutznetz.audit.models import AuditEvent
from schutznetz.audit.services import _content, audit_verify
from tests import factories as f
from tests.audit.test_audit import record, tampering

OTHER_KEY = base64.urlsafe_b64encode(b"k" * 32).decode()


@pytest.fixture
def chain(network: f.Network) -> int:
    """30 events after the network's own, and a checkpoint of the head: the chain's length."""
    record(30, network.admin)
    assert audit_checkpoint() is not None
    return AuditEvent.objects.count()


def _verify_fails(seq: int, kind: str) -> None:
    result = audit_verify()
    assert (result.first_bad_seq, result.kind) == (seq, kind), result
    with pytest.raises(CommandError, match=f"bei Eintrag {seq} "):
        call_command("audit", "verify")


def test_the_untouched_chain_verifies_against_its_checkpoint(chain: int) -> None:
    result = audit_verify()
    assert result.ok and result.checked == chain and result.checkpoints == 1
    assert result.last_checkpoint is not None and result.last_checkpoint.seq == chain


def test_an_edited_row(chain: int) -> None:
    with tampering():
        AuditEvent.objects.filter(seq=7).update(purpose="Kaffeepause")
    _verify_fails(7, "mac")


def test_a_row_deleted_in_the_middle(chain: int) -> None:
    with tampering():
        AuditEvent.objects.filter(seq=12).delete()
    _verify_fails(12, "gap")


def test_the_newest_ten_rows_deleted(chain: int) -> None:
    with tampering():
        AuditEvent.objects.filter(seq__gt=chain - 10).delete()
    _verify_fails(chain - 9, "truncated")


def _recompute_all(key: bytes) -> None:
    """Recompute every MAC (and link) after the edit, as an attacker with ``key`` would."""
    prev = "0" * 64
    with tampering():
        for event in AuditEvent.objects.order_by("seq"):
            event.prev_mac = prev
            event.mac = hmac.new(key, _content(event), hashlib.sha256).hexdigest()
            AuditEvent.objects.filter(pk=event.pk).update(prev_mac=event.prev_mac, mac=event.mac)
            prev = event.mac


def test_all_macs_recomputed_with_another_key(chain: int) -> None:
    with tampering():
        AuditEvent.objects.filter(seq=5).update(purpose="umgeschrieben")
    _recompute_all(b"a key the attacker chose".ljust(32))
    _verify_fails(1, "mac")


def test_all_macs_recomputed_with_the_audit_key_itself_are_found_by_the_checkpoint(chain: int) -> None:
    """Even an insider holding the audit key cannot rewrite what a checkpoint has witnessed."""
    with tampering():
        AuditEvent.objects.filter(seq=5).update(purpose="umgeschrieben")
    keys = get_audit_keys()
    _recompute_all(keys._macs[keys.key_id])
    _verify_fails(chain, "checkpoint")


def test_two_rows_reordered(chain: int) -> None:
    first, second = AuditEvent.objects.get(seq=3), AuditEvent.objects.get(seq=4)
    with tampering():
        for event, seq in ((first, -3), (second, 3), (first, 4)):
            AuditEvent.objects.filter(pk=event.pk).update(seq=seq)
    _verify_fails(3, "link")


def test_a_forged_row_appended(chain: int) -> None:
    head = AuditEvent.objects.get(seq=chain)
    forged = AuditEvent.objects.get(seq=2)
    forged.pk, forged.seq, forged.prev_mac, forged.mac = None, chain + 1, head.mac, "f" * 64
    forged.purpose = "Akteneinsicht genehmigt"
    forged.save(force_insert=True)
    _verify_fails(chain + 1, "mac")


def test_a_forged_row_outside_the_positions(chain: int) -> None:
    forged = AuditEvent.objects.get(seq=2)
    forged.pk, forged.seq = None, -1
    forged.save(force_insert=True)
    _verify_fails(-1, "inserted")


def test_an_edited_checkpoint_file(chain: int) -> None:
    line = json.loads(checkpoint_path().read_text())
    line["seq"] = 5
    checkpoint_path().write_text(json.dumps(line) + "\n")
    _verify_fails(5, "signature")


@pytest.fixture
def audit_key() -> Iterator[Any]:
    overrides: list[Any] = []

    def use(current: str, retired: tuple[str, ...] = ()) -> None:
        override = override_settings(
            SCHUTZNETZ_AUDIT_KEY=current, SCHUTZNETZ_AUDIT_RETIRED_KEYS=list(retired)
        )
        override.enable()
        overrides.append(override)
        get_audit_keys.cache_clear()

    yield use
    for override in reversed(overrides):
        override.disable()
    get_audit_keys.cache_clear()


def test_a_new_key_starts_a_segment_and_old_segments_verify_with_the_retired_key(
    chain: int, audit_key: Any
) -> None:
    from django.conf import settings

    old = settings.SCHUTZNETZ_AUDIT_KEY
    audit_key(OTHER_KEY, retired=(old,))
    record(3)
    segment = AuditEvent.objects.get(seq=chain + 1)
    assert segment.object_type == "Audit-Schlüssel" and segment.details["previous_key"]
    assert segment.key_id == get_audit_keys().key_id != AuditEvent.objects.get(seq=chain).key_id
    assert audit_verify().ok and audit_verify().checked == chain + 4

    audit_key(OTHER_KEY)  # the old key lost: its segment can no longer be verified
    _verify_fails(1, "key")


@pytest.mark.django_db(transaction=True)
def test_a_long_chain_is_checked_in_parallel_stretches_and_the_first_breach_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from schutznetz.audit import services

    monkeypatch.setattr(services, "VERIFY_PARALLEL_MIN", 10)
    monkeypatch.setattr(services, "VERIFY_STRETCH", 7)  # 60 positions: 9 stretches over 2 processes
    record(60)
    assert audit_checkpoint() is not None
    result = audit_verify(processes=2)
    assert result.ok and result.checked == 60, result
    with tampering():
        AuditEvent.objects.filter(seq=45).update(purpose="geändert")
        AuditEvent.objects.filter(seq=22).delete()
    assert (audit_verify(processes=2).first_bad_seq, audit_verify(processes=2).kind) == (22, "gap")
    with tampering():
        AuditEvent.objects.filter(seq=60).delete()  # the newest: only the checkpoint knows of it
    # The same findings as one process makes.
    for processes in (1, 2):
        found = audit_verify(processes=processes)
        assert (found.first_bad_seq, found.kind, found.checked) == (22, "gap", 21), found
