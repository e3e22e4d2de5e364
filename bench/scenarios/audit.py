"""The audit trail: appends by 1, 4 and 16 concurrent writers, how soon the sealer places them in
the chain, and how fast the whole chain is verified.

Each writer is a process of its own, as gunicorn's workers are, and appends one event per
transaction with ``audit_record`` (the worst case: a request writes at least one): the read of a
case as the case page writes it (actor, organisation, case, the child shown), each writer for
another lead professional and case, as concurrent requests come from different people.
Sealing runs as under ``schutznetz serve``: one sealer process beside the writers (``audit seal
--follow``). The sealing lag of an event is the time from its commit until the chain's head has
passed it, sampled on every 20th event against a monitor that reads the head every 10 ms. Each run
starts from a vacuumed table, as pgbench's do, and a checkpoint.

Writers, sealer and database share the machine's cores. One more row shows what the database
takes: 4 connections sending the very INSERT that ``audit_record`` sends.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from typing import Any

from django.db import DatabaseError, connection, connections

from bench.generate import settle
from bench.harness import Context, Result, percentiles
from schutznetz.accounts.models import User
from schutznetz.audit import sealer
from schutznetz.audit.models import AuditAction, AuditEvent
from schutznetz.audit.services import audit_record, audit_seal, audit_verify, insert_statement
from schutznetz.cases.models import Case
from schutznetz.network.models import Organisation

NAME = "audit"
WRITERS = (1, 4, 16)
SAMPLE_EVERY = 20
POLL_SECONDS = 0.01


@dataclass(frozen=True)
class _Read:
    """What each appended event records: a read of a case, as the case page writes it."""

    actor: int
    organisation: int
    case_id: str

    @property
    def details(self) -> dict[str, Any]:
        return {"persons": {"children": ["K-7Q2M-X4PD"]}}


def _own_connection() -> Any:
    """A psycopg connection of its own, in autocommit, with the settings' parameters."""
    import psycopg

    params = connection.get_connection_params()
    return psycopg.connect(autocommit=True, **{k: v for k, v in params.items() if k != "cursor_factory"})


def _sql_append(read: _Read) -> Callable[[int], int]:
    """The INSERT of ``audit_record``, sent straight through a connection of its own."""
    from psycopg.types.json import Jsonb

    raw = _own_connection()
    sql = insert_statement()

    def append(i: int) -> int:
        values = [
            datetime.now(UTC),
            read.actor,
            read.organisation,
            "read",
            "Case",
            read.case_id,
            read.case_id,
            "Fallakte einsehen",
            Jsonb(read.details),
            "",
            "",
            "",
        ]
        row = raw.execute(sql, values, prepare=True).fetchone()
        return int(row[0]) if row else 0

    return append


def _django_append(read: _Read) -> Callable[[int], int]:
    actor = User.objects.get(pk=read.actor)
    organisation = Organisation(pk=read.organisation)

    def append(i: int) -> int:
        return audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.READ,
            object_type="Case",
            object_id=read.case_id,
            case_id=read.case_id,
            purpose="Fallakte einsehen",
            details=read.details,
        )

    return append


def _writer(seconds: float, start_at: float, sql: bool, read: _Read, out: Connection) -> None:
    """Append events until the time is up; send back how many and (id, commit time) samples."""
    count, samples = 0, []
    try:
        append = _sql_append(read) if sql else _django_append(read)
        while time.time() < start_at:
            time.sleep(0.001)
        end = start_at + seconds
        while time.time() < end:
            pk = append(count)
            committed = time.time()  # autocommit: the INSERT has committed
            if count % SAMPLE_EVERY == 0:
                samples.append((pk, committed))
            count += 1
        # Let the sealers finish what they hold before the process ends.
        deadline = time.time() + 30
        while AuditEvent.objects.filter(seq__isnull=True).exists() and time.time() < deadline:
            time.sleep(0.01)
        out.send((count, samples, ""))
    except BaseException as error:  # reported to the parent, which fails the run
        out.send((count, samples, repr(error)))
    finally:
        sealer.stop()
        connections.close_all()


class _Monitor:
    """Reads the chain's head for the lag samples: one prepared statement on a connection of its
    own, so that the instrument takes little of the CPU that writers and sealer share (through the
    ORM, polling took a twentieth of the machine)."""

    def __init__(self) -> None:
        self._raw = _own_connection()
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        self._sql = f"SELECT max(seq) FROM {table}"  # noqa: S608 (name from the model)

    def head(self) -> int:
        row = self._raw.execute(self._sql, prepare=True).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def close(self) -> None:
        self._raw.close()


def _readers(count: int) -> list[_Read]:
    """Open cases of different lead professionals, one for each writer."""
    rows = (
        Case.objects.filter(closed_at=None, lead_user__isnull=False)
        .order_by("lead_user", "created_at")
        .distinct("lead_user")
        .values_list("lead_user", "lead_organisation", "pk")[:count]
    )
    return [_Read(user, organisation, str(case)) for user, organisation, case in rows]


def _checkpoint() -> None:
    """Write the dirty pages out before timing: without it the writers shared the disk and the CPU
    with the checkpoint of the bulk load (gigabytes at 1M children), or of the run before, at a
    moment that differed from run to run. Needs a superuser or pg_checkpoint; else left out."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError as error:
        print(f"    (no CHECKPOINT before timing: {error})", flush=True)


def _append(reads: list[_Read], writers: int, seconds: float, *, sql: bool = False) -> Result:
    audit_seal()
    settle(AuditEvent._meta.db_table)  # each run starts without the dead rows of the one before
    _checkpoint()
    sealer.stop()
    connections.close_all()  # the children must not share the parent's connection
    fork = multiprocessing.get_context("fork")
    stop = fork.Event()
    sealing = fork.Process(target=sealer.follow, args=(stop,))  # serve's sealer (`audit seal --follow`)
    sealing.start()
    start_at = time.time() + 1.0
    pipes, processes = [], []
    for i in range(writers):
        receiver, sender = fork.Pipe(duplex=False)
        process = fork.Process(target=_writer, args=(seconds, start_at, sql, reads[i % len(reads)], sender))
        process.start()
        pipes.append(receiver)
        processes.append(process)
    heads: list[tuple[float, int]] = []  # (time, sealed head) as the monitor saw them
    monitor = _Monitor()
    while any(p.is_alive() for p in processes) and not all(pipe.poll() for pipe in pipes):
        heads.append((time.time(), monitor.head()))
        time.sleep(POLL_SECONDS)
    outcomes = [pipe.recv() for pipe in pipes]
    for process in processes:
        process.join()
    stop.set()
    sealing.join()
    heads.append((time.time(), monitor.head()))
    monitor.close()
    failures = [error for _, _, error in outcomes if error]
    if failures:
        raise AssertionError(f"audit writer failed: {failures[0]}")
    total = sum(count for count, _, _ in outcomes)
    sampled = [sample for _, samples, _ in outcomes for sample in samples]
    positions = dict(AuditEvent.objects.filter(pk__in=[pk for pk, _ in sampled]).values_list("pk", "seq"))
    lags = []
    for pk, committed in sampled:
        seq = positions.get(pk)
        sealed_at = next((at for at, head in heads if seq is not None and head >= seq), None)
        if sealed_at is None:
            raise AssertionError(f"audit event {pk} was not sealed")
        lags.append(max(0.0, sealed_at - committed) * 1000)
    p50, p95, p99 = percentiles(lags)
    how = "SQL direkt" if sql else "über Django"
    result = Result(NAME, f"Audit: schreiben ({writers} parallel, {how})", 0, 0, 0, round(total / seconds, 1))
    result.extra = {
        "events": total,
        "seconds": seconds,
        "sealing_lag_ms": {"p50": round(p50, 1), "p95": round(p95, 1), "p99": round(p99, 1)},
        "lag_samples": len(lags),
        "mean_lag_ms": round(statistics.fmean(lags), 1),
    }
    return result


def run(ctx: Context) -> list[Result]:
    seconds = max(2.0, ctx.http_seconds)
    counts = WRITERS if connection.vendor == "postgresql" else (1,)
    reads = _readers(max(counts))
    results = [_append(reads, writers, seconds) for writers in counts]
    if connection.vendor == "postgresql":
        results.append(_append(reads, 4, seconds, sql=True))
    events = AuditEvent.objects.count()
    start = time.perf_counter()
    report = audit_verify()
    elapsed = time.perf_counter() - start
    if not report.ok:
        raise AssertionError(f"audit chain broken: {report}")
    verify = Result(NAME, "Audit: Kette prüfen", 0, 0, 0, round(events / elapsed, 1))
    verify.extra = {
        "events": events,
        "seconds": round(elapsed, 2),
        "events_per_minute": round(events / elapsed * 60),
    }
    return [*results, verify]
