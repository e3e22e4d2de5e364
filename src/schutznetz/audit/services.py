"""Writing to and verifying the audit trail: a chain of HMACs anchored by signed checkpoints.

Each event's MAC is HMAC-SHA256, under the audit key (``SCHUTZNETZ_AUDIT_KEY``, outside the
database), over its content and the previous event's MAC. Editing, deleting, reordering or inserting
a row breaks the chain for anyone who does not hold the key; deleting the newest rows, or rewriting
the whole chain, is found against the checkpoints (``audit/checkpoints.py``), which are signed and
kept outside the database. A new audit key starts a new segment: its first event names the previous
key, and each event names the key of its MAC.
"""

from __future__ import annotations

import functools
import json
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

import psycopg
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from schutznetz.audit import verifier
from schutznetz.audit.checkpoints import Checkpoint, read_checkpoints
from schutznetz.audit.keys import UNKEYED, UnknownKey, get_audit_keys
from schutznetz.audit.models import AuditAction, AuditEvent
from schutznetz.audit.sealer import seal_after_commit
from schutznetz.network.models import Organisation

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
# Any constant: the key of the PostgreSQL advisory lock held by the one sealer at work.
_SEALER_LOCK = 0x5C4E7A
SEAL_BATCH = 1000
VERIFY_CHUNK = 5000
VERIFY_STRETCH = 50_000  # positions per process when the chain is checked in parallel
VERIFY_PARALLEL_MIN = 100_000  # below this, one process is as fast
KEY_SEGMENT = "Audit-Schlüssel"


# The fields a MAC covers, in the order _content_of takes them.
MAC_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "organisation_id",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "purpose",
    "details",
    "prev_mac",
    "key_id",
)
_dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def _content_of(values: tuple[Any, ...]) -> bytes:
    seq, at, actor, organisation, action, object_type, object_id, case_id, purpose, details, prev, key = (
        values
    )
    payload: dict[str, Any] = {
        "seq": seq,
        "at": at.isoformat(),
        "actor": actor,
        "organisation": organisation,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "case_id": str(case_id) if case_id else None,
        "purpose": purpose,
        "details": details,
        "prev_hash": prev,
    }
    if key != UNKEYED:
        payload["key_id"] = key
    return _dumps(payload).encode()


@dataclass(slots=True)
class _Waiting:
    """An event as the sealer reads it: its id, the fields of its MAC and the MAC (a plain record,
    several times cheaper to read than a model instance)."""

    pk: int
    seq: int | None
    at: datetime
    actor_id: int | None
    organisation_id: int | None
    action: str
    object_type: str
    object_id: str
    case_id: UUID | None
    purpose: str
    details: Any
    prev_mac: str
    key_id: str
    mac: str


Sealable = TypeVar("Sealable", AuditEvent, _Waiting)


def _content(event: AuditEvent | _Waiting) -> bytes:
    return _content_of(tuple(getattr(event, name) for name in MAC_FIELDS))


def event_mac(event: AuditEvent | _Waiting) -> str:
    """The MAC of the event under the key it names (``UnknownKey`` if that is not configured)."""
    return get_audit_keys().mac(event.key_id, _content(event))


def seal(event: Sealable, last: AuditEvent | _Waiting | None) -> Sealable:
    """Give an event its place after the sealed ``last``: position, previous MAC, key, MAC."""
    event.seq = (last.seq or 0) + 1 if last else 1
    event.prev_mac = last.mac if last else GENESIS
    event.key_id = get_audit_keys().key_id
    event.mac = event_mac(event)
    return event


# The cases whose read a request recorded, kept on the acting user object (one per request): the
# safety net that records every read of a case (``cases.read_audit``) leaves them alone.
READS_RECORDED = "_schutznetz_case_reads_recorded"


def note_case_read_recorded(actor: User, case_id: UUID | str) -> None:
    recorded: set[str] | None = getattr(actor, READS_RECORDED, None)
    if recorded is None:
        recorded = set()
        setattr(actor, READS_RECORDED, recorded)
    recorded.add(str(case_id))


def case_reads_recorded(actor: User) -> set[str]:
    return getattr(actor, READS_RECORDED, None) or set()


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
) -> int:
    """Write one event with a single INSERT in the caller's transaction: it commits or rolls back
    with the change it records, and takes no lock. It is sealed into the chain after the commit.
    Returns the event's id."""
    if action == AuditAction.READ and case_id is not None and actor is not None:
        note_case_read_recorded(actor, case_id)
    at = timezone.now()
    db = connections[DEFAULT_DB_ALIAS]  # the proxy's lookup, once
    if db.vendor == "postgresql":
        pk = _insert(
            [
                at,
                actor.pk if actor is not None else None,
                organisation.pk if organisation is not None else None,
                action,
                object_type,
                str(object_id),
                case_id,
                purpose,
                _DETAILS.get_db_prep_value(details or {}, db),
                "",
                "",
                "",
            ]
        )
    else:
        event = AuditEvent(
            at=at,
            actor=actor,
            organisation=organisation,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            case_id=case_id,
            purpose=purpose,
            details=details or {},
        )
        event.save(force_insert=True)
        pk = event.pk
    seal_after_commit()
    return pk


# What an event is written with: the fields of its MAC but the position, and the MAC; the last
# three (prev_mac, key_id, mac) stay empty until the sealer fills them in.
INSERT_COLUMNS = (*MAC_FIELDS[1:], "mac")
_DETAILS = AuditEvent._meta.get_field("details")


@functools.cache
def insert_statement() -> str:
    """The INSERT of one event (PostgreSQL), its values in the order of ``INSERT_COLUMNS``."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns, values = ", ".join(INSERT_COLUMNS), ", ".join(["%s"] * len(INSERT_COLUMNS))
    return f"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING id"  # noqa: S608 (names from the model)


def _insert(values: list[Any]) -> int:
    """The INSERT as one statement of our own, without a model instance: every read writes an
    event, and the ORM's work for it cost more than the database's."""
    rows = _execute(insert_statement(), values)
    return int(rows[0][0]) if rows else 0


def _execute(
    sql: str, params: list[Any], *, binary: bool = False, fetch: bool = True
) -> list[tuple[Any, ...]]:
    """A statement of the audit trail's own on PostgreSQL (the event's INSERT, the sealer's reads
    and writes): sent as a prepared statement with its values bound on the server, ``%b`` ones in
    binary. Django's cursors quote every value into the SQL text on the client, which took the
    writer twice the CPU, and the sealer a regular-expression search for each value of its arrays
    (docs/architecture.md, "Audit trail"). psycopg prepares only where the settings give the
    connection a ``prepare_threshold`` (``DB_PREPARED_STATEMENTS``); without one it is sent
    unprepared. ``binary`` has the rows come back in binary, cheaper to decode; ``fetch`` False
    for a statement that returns none.

    Where statements are being recorded (tests counting queries, a debugging wrapper) it goes
    through Django's cursor like every other statement."""
    db = connections[DEFAULT_DB_ALIAS]  # the proxy's lookup, once
    if db.queries_logged or db.execute_wrappers:
        with db.cursor() as cursor:
            cursor.execute(sql.replace("%b", "%s"), params)
            return cursor.fetchall() if fetch else []
    db.ensure_connection()
    db.validate_no_broken_transaction()
    with db.wrap_database_errors:
        prepared = _own_cursor(db.connection)
        prepared.execute(sql, params, prepare=True, binary=binary)
        return prepared.fetchall() if fetch else []


_cursors = threading.local()


def _own_cursor(raw: psycopg.Connection[Any]) -> psycopg.Cursor[Any]:
    """A server-binding cursor on the thread's connection, kept for its next statement: a new one
    for each would look up the dumpers of every value again."""
    cursor: psycopg.Cursor[Any] | None = getattr(_cursors, "cursor", None)
    if cursor is None or cursor.connection is not raw or cursor.closed:
        cursor = _cursors.cursor = psycopg.Cursor(raw)
    return cursor


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
        rows = _waiting(batch_size)
        if not rows:
            return 0
        last: AuditEvent | _Waiting | None = _sealed_head()
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
        _write_seals(rows)
        _raise_alerts(rows)
    return len(rows)


def _raise_alerts(rows: list[_Waiting]) -> None:
    """Unusual access among the newly sealed events, in the sealing transaction (each event is
    looked at once); a failure here is logged and never holds up the sealing."""
    from schutznetz.audit.alerts import check_sealed

    try:
        with transaction.atomic():
            check_sealed(rows)
    except Exception:
        logger.exception("Checking the sealed audit events for unusual access failed.")


def _waiting(batch_size: int) -> list[_Waiting]:
    """The oldest ``batch_size`` events not yet in the chain, in the order of their ids."""
    if connection.vendor != "postgresql":
        waiting = AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:batch_size]
        return [_Waiting(*row) for row in waiting.values_list("pk", *MAC_FIELDS, "mac")]
    rows = _select(["id", *MAC_FIELDS, "mac"], "seq IS NULL ORDER BY id LIMIT %s", [batch_size])
    return [_Waiting(*row) for row in rows]


def _select(columns: list[str], condition: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Events as tuples of ``columns`` through the cursor (PostgreSQL): the ORM's model instances
    and converters cost more than the MACs. ``details`` comes back decoded."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE {condition}"  # noqa: S608 (names from the model)
    details = columns.index("details")
    fetched = _execute(sql, params, binary=True)
    return [
        (*row[:details], json.loads(row[details]), *row[details + 1 :])
        if isinstance(row[details], str)  # Django has psycopg hand over JSON as text
        else row
        for row in fetched
    ]


def _write_seals(rows: list[_Waiting]) -> None:
    if connection.vendor != "postgresql":
        sealed = [
            AuditEvent(pk=row.pk, seq=row.seq, prev_mac=row.prev_mac, key_id=row.key_id, mac=row.mac)
            for row in rows
        ]
        AuditEvent.objects.bulk_update(sealed, ["seq", "prev_mac", "key_id", "mac"])
        return
    # One UPDATE joined with the new values as arrays: five parameters however long the batch.
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    _execute(
        f"UPDATE {table} AS e SET seq = v.seq, prev_mac = v.prev_mac, key_id = v.key_id, mac = v.mac "  # noqa: S608 (names from the model)
        "FROM unnest(%b::bigint[], %b::bigint[], %b::text[], %b::text[], %b::text[]) "
        "AS v(id, seq, prev_mac, key_id, mac) WHERE e.id = v.id",
        [
            [row.pk for row in rows],
            [row.seq for row in rows],
            [row.prev_mac for row in rows],
            [row.key_id for row in rows],
            [row.mac for row in rows],
        ],
        fetch=False,
    )


def seal_waiting(batch_size: int = SEAL_BATCH) -> int | None:
    """Seal what is waiting now, batch by batch; None when another sealer is at work."""
    sealed = 0
    while True:
        done = _seal_batch(batch_size)
        if done is None:
            return sealed or None
        sealed += done
        if done < batch_size:
            return sealed


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
) -> int:
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


def _chain_rows(first: int, last: int) -> Iterator[tuple[Any, ...]]:
    """The sealed events from position ``first`` to ``last`` as tuples (the MAC's fields, then the
    MAC), in chain order; from the very start (positions below 1 too) when ``first`` is 1."""
    after = first - 1 if first > 1 else -(2**63)
    if connection.vendor != "postgresql":
        ordered = AuditEvent.objects.filter(seq__isnull=False, seq__lte=last).order_by("seq")
        rows = ordered.values_list(*MAC_FIELDS, "mac")
        while chunk := list(rows.filter(seq__gt=after)[:VERIFY_CHUNK]):
            yield from chunk
            after = chunk[-1][0]
        return
    condition = "seq > %s AND seq <= %s ORDER BY seq LIMIT %s"
    while fetched := _select([*MAC_FIELDS, "mac"], condition, [after, last, VERIFY_CHUNK]):
        yield from fetched
        after = fetched[-1][0]


@dataclass(frozen=True)
class _Stretch:
    """What verifying one stretch of the chain found: how many fit, and the first breach."""

    checked: int
    seq: int | None = None
    kind: str = ""
    detail: str = ""


def verify_stretch(first: int, last: int, marks: dict[int, str]) -> _Stretch:
    """Check positions ``first``..``last``: each present once and in order, linked to the one before
    (the one before ``first`` is read for that), its MAC right, and equal to the checkpoints."""
    if first == 1:
        prev_mac = GENESIS
    else:
        prev_mac = AuditEvent.objects.filter(seq=first - 1).values_list("mac", flat=True).first() or ""
    expected, checked = first, 0
    keys = get_audit_keys()
    for row in _chain_rows(first, last):
        position, prev, key_id, stored = row[0], row[10], row[11], row[12]
        if position < expected:
            return _Stretch(checked, position, "inserted")
        if position != expected:
            return _Stretch(checked, expected, "gap")
        if prev != prev_mac:
            return _Stretch(checked, position, "link")
        try:
            mac = keys.mac(key_id, _content_of(row[:12]))
        except UnknownKey:
            return _Stretch(checked, position, "key", f"Schlüssel {key_id}")
        if mac != stored:
            return _Stretch(checked, position, "mac")
        mark = marks.get(position)
        if mark is not None and mark != stored:
            return _Stretch(checked, position, "checkpoint")
        prev_mac, expected, checked = stored, expected + 1, checked + 1
    if expected <= last:
        return _Stretch(checked, expected, "gap")
    return _Stretch(checked)


def _verify_stretches(head: int, marks: dict[int, str], processes: int) -> Iterator[_Stretch]:
    """The chain's stretches verified in order; by several processes when it is long (each reads
    and checks its own stretch: a MAC needs only its row, a link only the row before)."""
    if processes <= 1 or head < VERIFY_PARALLEL_MIN:
        yield verify_stretch(1, head, marks)
        return
    stretches = []
    for first in range(1, head + 1, VERIFY_STRETCH):
        last = min(first + VERIFY_STRETCH - 1, head)
        stretches.append((first, last, {seq: mac for seq, mac in marks.items() if first <= seq <= last}))
    # The module the process was started with (overridden settings, as in tests, name none).
    start = (os.environ["DJANGO_SETTINGS_MODULE"], dict(connection.settings_dict))
    with multiprocessing.get_context("spawn").Pool(processes, verifier.start, start) as pool:
        yield from pool.imap(verifier.verify, stretches)


def audit_verify(*, processes: int | None = None) -> VerifyResult:
    """Walk the chain from the start, then hold it against the signed checkpoints; report the first
    position that does not fit and how. A long chain is checked by one process per core, unless
    inside a transaction (whose rows other processes cannot see)."""
    marks, bad_marks = read_checkpoints()
    last_mark = max(marks, key=lambda m: m.seq, default=None)

    def breach(checked: int, seq: int, kind: str, detail: str = "") -> VerifyResult:
        reason = BREACHES[kind] + (f" — {detail}" if detail else "")
        return VerifyResult(checked, seq, kind, reason, len(marks), last_mark)

    if bad_marks:
        first = bad_marks[0]
        return breach(0, first.seq, "signature", first.reason)
    head = (
        AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", flat=True).first()
        or 0
    )
    if processes is None:
        processes = 1 if connection.in_atomic_block else os.cpu_count() or 1
    by_seq = {mark.seq: mark for mark in marks}
    checked = 0
    for stretch in _verify_stretches(head, {seq: mark.mac for seq, mark in by_seq.items()}, processes):
        if stretch.kind:
            detail = stretch.detail
            if stretch.kind == "checkpoint" and stretch.seq is not None:
                detail = f"Checkpoint vom {by_seq[stretch.seq].written_at}"
            return breach(checked + stretch.checked, stretch.seq or 0, stretch.kind, detail)
        checked += stretch.checked
    expected = head + 1
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
