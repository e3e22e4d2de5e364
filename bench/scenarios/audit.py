"""The audit trail: appends by concurrent writers, and verifying the whole chain."""

from __future__ import annotations

import threading
import time

from django.db import connection, connections

from bench.harness import Context, Result
from schutznetz.audit.models import AuditAction, AuditEvent
from schutznetz.audit.services import audit_record, audit_verify

NAME = "audit"
WRITERS = 4


def _writer(count: int, errors: list[BaseException]) -> None:
    try:
        for i in range(count):
            audit_record(
                actor=None,
                organisation=None,
                action=AuditAction.READ,
                object_type="Bench",
                object_id=i,
                purpose="Bench",
            )
    except BaseException as error:
        errors.append(error)
    finally:
        connections.close_all()


def run(ctx: Context) -> list[Result]:
    per_writer = ctx.repeat * 5
    writers = WRITERS if connection.vendor == "postgresql" else 1
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_writer, args=(per_writer, errors)) for _ in range(writers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    writes = Result(
        NAME, f"Audit: schreiben ({writers} parallel)", 0, 0, 0, round(writers * per_writer / elapsed, 1)
    )
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
    return [writes, verify]
