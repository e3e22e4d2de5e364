"""Writing to and verifying the hash-chained audit trail."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone

from schutznetz.audit.models import AuditAction, AuditEvent
from schutznetz.network.models import Organisation

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

GENESIS = "0" * 64
# Any constant: the key of the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK = 0x5C4E7A
VERIFY_CHUNK = 5000


def _content(event: AuditEvent) -> bytes:
    payload = {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "organisation": event.organisation_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "case_id": str(event.case_id) if event.case_id else None,
        "purpose": event.purpose,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_content(event)).hexdigest()


def audit_record(
    *,
    actor: User | None,
    organisation: Organisation | None,
    action: str,
    object_type: str,
    object_id: object,
    purpose: str,
    case_id: UUID | str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction (or its own)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
        event = AuditEvent(
            seq=(last.seq + 1) if last else 1,
            at=timezone.now(),
            actor=actor,
            organisation=organisation,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            case_id=case_id,
            purpose=purpose,
            details=details or {},
            prev_hash=last.hash if last else GENESIS,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
    return event


def audit_object(
    actor: User,
    organisation_id: int | None,
    action: str,
    obj: object,
    purpose: str,
    *,
    case_id: UUID | None = None,
    **details: object,
) -> AuditEvent:
    """An event about a model instance: its class name and primary key name the object."""
    return audit_record(
        actor=actor,
        organisation=Organisation(pk=organisation_id) if organisation_id else None,
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "pk", ""),
        case_id=case_id,
        purpose=purpose,
        details=details,
    )


def audit_read(
    *,
    actor: User,
    object_type: str,
    object_id: object = "",
    purpose: str,
    action: str = AuditAction.READ,
    **details: object,
) -> None:
    """A read that spans records (a list, a search, a schedule) is on record too: of which ones."""
    audit_record(
        actor=actor,
        organisation=None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        details=details,
    )


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


def _events_in_order() -> Iterator[AuditEvent]:
    last_seq = 0
    while True:
        chunk = list(AuditEvent.objects.filter(seq__gt=last_seq).order_by("seq")[:VERIFY_CHUNK])
        if not chunk:
            return
        yield from chunk
        last_seq = chunk[-1].seq


def audit_verify() -> VerifyResult:
    """Walk the chain from the start; report the first row that does not fit."""
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    for event in _events_in_order():
        if event.seq != expected_seq:
            return VerifyResult(checked, expected_seq, f"Eintrag {expected_seq} fehlt (gelöscht?)")
        if event.prev_hash != prev_hash:
            return VerifyResult(checked, event.seq, "Verkettung unterbrochen (Reihenfolge geändert?)")
        if compute_hash(event) != event.hash:
            return VerifyResult(checked, event.seq, "Inhalt passt nicht zum Hash (nachträglich geändert)")
        prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    return VerifyResult(checked)
