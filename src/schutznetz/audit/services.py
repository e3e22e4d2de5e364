"""Writing to and verifying the audit trail: a chain of HMACs anchored by signed checkpoints.

Each event's MAC is HMAC-SHA256, under the audit key (``SCHUTZNETZ_AUDIT_KEY``, outside the
database), over its content and the previous event's MAC. Editing, deleting, reordering or inserting
a row breaks the chain for anyone who does not hold the key; deleting the newest rows, or rewriting
the whole chain, is found against the checkpoints (``audit/checkpoints.py``), which are signed and
kept outside the database. A new audit key starts a new segment: its first event names the previous
key, and each event names the key of its MAC.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from schutznetz.audit.checkpoints import Checkpoint, read_checkpoints
from schutznetz.audit.keys import UNKEYED, UnknownKey, get_audit_keys
from schutznetz.audit.models import AuditAction, AuditEvent
from schutznetz.network.models import Organisation

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
# Any constant: the key of the PostgreSQL advisory lock held by the one sealer at work.
_SEALER_LOCK = 0x5C4E7A
SEAL_BATCH = 1000
VERIFY_CHUNK = 5000
KEY_SEGMENT = "Audit-Schlüssel"


def _content(event: AuditEvent) -> bytes:
    payload: dict[str, Any] = {
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
        "prev_hash": event.prev_mac,
    }
    if event.key_id != UNKEYED:
        payload["key_id"] = event.key_id
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_mac(event: AuditEvent) -> str:
    """The MAC of the event under the key it names (``UnknownKey`` if that is not configured)."""
    return get_audit_keys().mac(event.key_id, _content(event))


def seal(event: AuditEvent, last: AuditEvent | None) -> AuditEvent:
    """Give an event its place after the sealed ``last``: position, previous MAC, key, MAC."""
    event.seq = (last.seq or 0) + 1 if last else 1
    event.prev_mac = last.mac if last else GENESIS
    event.key_id = get_audit_keys().key_id
    event.mac = event_mac(event)
    return event


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
    """Write one event with a single INSERT in the caller's transaction: it commits or rolls back
    with the change it records, and takes no lock. It is sealed into the chain after the commit."""
    event = AuditEvent.objects.create(
        at=timezone.now(),
        actor=actor,
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        case_id=case_id,
        purpose=purpose,
        details=details or {},
    )
    _seal_after_commit()
    return event


def _seal_soon() -> None:
    try:
        audit_seal()
    except DatabaseError:
        # Another process seals (SQLite has no advisory lock), or the database is away: the next
        # commit or the worker seals what is left.
        logger.warning("Sealing the audit trail failed; it is retried.", exc_info=True)


def _seal_after_commit() -> None:
    """Once per transaction: seal what is waiting when it has committed."""
    pending = getattr(connection, "run_on_commit", [])
    if not any(entry[1] is _seal_soon for entry in pending):
        transaction.on_commit(_seal_soon)


def _try_sealer_lock() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_SEALER_LOCK])
        row = cursor.fetchone()
    return bool(row and row[0])


def _sealed_head() -> AuditEvent | None:
    return AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").only("seq", "mac", "key_id").first()


def _seal_batch(batch_size: int) -> int | None:
    """Seal up to ``batch_size`` waiting events in one transaction; None when another sealer is at
    work. Killed midway, the transaction rolls back: nothing is lost and nothing sealed twice."""
    with transaction.atomic():
        if not _try_sealer_lock():
            return None
        rows = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:batch_size])
        if not rows:
            return 0
        last = _sealed_head()
        current = get_audit_keys().key_id
        if last is not None and last.key_id != current:
            # A new key: the segment it opens begins with an event that names the previous key.
            segment = AuditEvent(
                at=timezone.now(),
                action=AuditAction.UPDATE,
                object_type=KEY_SEGMENT,
                object_id=current,
                purpose="Neuer Abschnitt der Protokollkette (Schlüsselwechsel)",
                details={"previous_key": last.key_id or "sha256"},
            )
            last = seal(segment, last)
            segment.save(force_insert=True)
        for row in rows:
            last = seal(row, last)
        AuditEvent.objects.bulk_update(rows, ["seq", "prev_mac", "key_id", "mac"])
    return len(rows)


def audit_seal(*, batch_size: int = SEAL_BATCH, progress: Callable[[int], None] | None = None) -> int:
    """Seal the waiting events into the chain, in the order they became visible (committed); returns
    how many. One sealer at a time (an advisory lock on PostgreSQL); when another is at work this
    returns at once, and that one looks again after it has let go, so nothing is left waiting."""
    sealed = 0
    while True:
        done = _seal_batch(batch_size)
        if done is None:
            return sealed
        sealed += done
        if done and progress:
            progress(done)
        # A batch that was not full took every waiting event it saw: look once more, after letting
        # go of the lock, for what was committed meanwhile (its own sealing attempt found us busy).
        if done < batch_size and not AuditEvent.objects.filter(seq__isnull=True).exists():
            return sealed


def unsealed_since(seconds: int) -> int:
    """Events waiting longer than ``seconds`` to be sealed (an alarm on the health check)."""
    cutoff = timezone.now() - timedelta(seconds=seconds)
    return AuditEvent.objects.filter(seq__isnull=True, at__lt=cutoff).count()


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


# What a broken chain looks like, by kind (the position is the first one affected).
BREACHES = {
    "gap": "Eintrag fehlt (gelöscht)",
    "inserted": "Eintrag außerhalb der Kette (eingefügt)",
    "link": "Verkettung unterbrochen (Einträge umgestellt, eingefügt oder entfernt)",
    "mac": "MAC ungültig (Inhalt verändert, Eintrag gefälscht oder mit fremdem Schlüssel berechnet)",
    "key": "mit einem Schlüssel versiegelt, der nicht konfiguriert ist",
    "checkpoint": "weicht vom signierten Checkpoint ab (Kette neu berechnet)",
    "truncated": "fehlt: die Kette endet vor dem signierten Checkpoint (neueste Einträge gelöscht)",
    "signature": "Checkpoint-Datei verändert",
}


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    first_bad_seq: int | None = None
    kind: str = ""
    reason: str = ""
    checkpoints: int = 0  # signed checkpoints the chain was compared with
    last_checkpoint: Checkpoint | None = None
    unsealed: int = 0  # events written but not yet sealed into the chain (not checked)

    @property
    def ok(self) -> bool:
        return not self.kind


def _events_in_order() -> Iterator[AuditEvent]:
    sealed = AuditEvent.objects.filter(seq__isnull=False).order_by("seq")
    chunk = list(sealed[:VERIFY_CHUNK])
    while chunk:
        yield from chunk
        chunk = list(sealed.filter(seq__gt=chunk[-1].seq)[:VERIFY_CHUNK])


def audit_verify() -> VerifyResult:
    """Walk the chain from the start, then hold it against the signed checkpoints; report the first
    position that does not fit and how."""
    marks, bad_marks = read_checkpoints()
    last_mark = max(marks, key=lambda m: m.seq, default=None)

    def breach(checked: int, seq: int, kind: str, detail: str = "") -> VerifyResult:
        reason = BREACHES[kind] + (f" — {detail}" if detail else "")
        return VerifyResult(checked, seq, kind, reason, len(marks), last_mark)

    if bad_marks:
        first = bad_marks[0]
        return breach(0, first.seq, "signature", first.reason)
    wanted = {mark.seq: mark for mark in marks}
    prev_mac, expected, checked = GENESIS, 1, 0
    for event in _events_in_order():
        position = event.seq or 0  # sealed events only: never empty here
        if position < expected:
            return breach(checked, position, "inserted")
        if position != expected:
            return breach(checked, expected, "gap")
        if event.prev_mac != prev_mac:
            return breach(checked, position, "link")
        try:
            mac = event_mac(event)
        except UnknownKey:
            return breach(checked, position, "key", f"Schlüssel {event.key_id}")
        if mac != event.mac:
            return breach(checked, position, "mac")
        mark = wanted.get(position)
        if mark is not None and mark.mac != event.mac:
            return breach(checked, position, "checkpoint", f"Checkpoint vom {mark.written_at}")
        prev_mac, expected, checked = event.mac, expected + 1, checked + 1
    if last_mark is not None and last_mark.seq >= expected:
        return breach(
            checked,
            expected,
            "truncated",
            f"der Checkpoint vom {last_mark.written_at} bezeugt {last_mark.seq} Einträge, "
            f"die Kette hat {checked}",
        )
    unsealed = AuditEvent.objects.filter(seq__isnull=True).count()
    return VerifyResult(checked, checkpoints=len(marks), last_checkpoint=last_mark, unsealed=unsealed)
