"""Unusual access, told to the data-protection officers who answer for it.

Checked when events are sealed (``audit.services``), inside the sealing transaction, so each event
is looked at once and the request that wrote it pays nothing. Two patterns raise an alert for the
organisation the reads were made for, at most one of a kind per person and organisation a window:

- one person reading more cases within an hour than ``SCHUTZNETZ_AUDIT_READ_LIMIT_PER_HOUR``;
- one person reading, within a day, cases that the organisation has handed on (its part limited to
  the history, § 8a Abs. 6 SGB VIII) more often than ``SCHUTZNETZ_AUDIT_HISTORY_READS_PER_DAY``: the
  policy lets the former office look something up, not keep working the case. The case layer marks
  such reads (``details["history_only"]``), so the check needs no knowledge of participations.

The alert goes to the inbox (and mail) of that organisation's data-protection officers, and stands
on their access-log page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, Protocol
from uuid import UUID

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from schutznetz.audit.models import AccessAlert, AlertKind, AuditAction, AuditEvent
from schutznetz.network.models import Membership, Role
from schutznetz.notify.services import notify

WINDOW = timedelta(hours=1)
HISTORY_WINDOW = timedelta(days=1)


class SealedEvent(Protocol):
    """What the checks look at of a newly sealed event."""

    pk: int
    seq: int | None
    actor_id: int | None
    organisation_id: int | None
    action: str
    case_id: UUID | None
    details: Any


def read_limit() -> int:
    return int(settings.SCHUTZNETZ_AUDIT_READ_LIMIT_PER_HOUR)


def history_read_limit() -> int:
    return int(settings.SCHUTZNETZ_AUDIT_HISTORY_READS_PER_DAY)


def check_sealed(events: Sequence[SealedEvent]) -> list[AccessAlert]:
    """The alerts that the newly sealed ``events`` give rise to (created and sent)."""
    case_reads = [e for e in events if _case_read(e) and e.actor_id and e.organisation_id]
    raised = []
    by_reader: dict[tuple[int, int], list[SealedEvent]] = {}
    for event in case_reads:
        assert event.actor_id is not None and event.organisation_id is not None
        by_reader.setdefault((event.actor_id, event.organisation_id), []).append(event)
    for actor_id, organisation_id in _opening_another_case(by_reader):
        alert = _check_read_rate(actor_id, organisation_id)
        if alert is not None:
            raised.append(alert)
    for (actor_id, organisation_id), reads in by_reader.items():
        if any(_history(e) for e in reads):
            alert = _check_history_reads(actor_id, organisation_id)
            if alert is not None:
                raised.append(alert)
    return raised


def _case_read(event: SealedEvent) -> bool:
    return event.action == AuditAction.READ and event.case_id is not None


def _history(event: SealedEvent) -> bool:
    return isinstance(event.details, dict) and event.details.get("history_only") is True


def _reads(actor_id: int, organisation_id: int, since: Any) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        actor_id=actor_id, organisation_id=organisation_id, action=AuditAction.READ, at__gte=since
    ).exclude(case_id=None)


# Up to this many cases of one reader in a batch, each is looked up before the cases are counted.
LOOKUP_CASES = 8


def _opening_another_case(by_reader: dict[tuple[int, int], list[SealedEvent]]) -> list[tuple[int, int]]:
    """The readers whose reads in this batch take their count of cases read within the hour up.
    When every case in them had been read within the hour already, by an event sealed before
    this batch, the count is the one the check of that earlier batch looked at (each sealed event
    is checked once): counting again would find nothing new, and it would cost most for the person
    reading one case over and over. The cases of all readers are looked up in one query, each by
    the index on the case, newest event first, stopping at the first earlier read."""
    opening, lookups = [], []
    for reader, reads in by_reader.items():
        cases = {e.case_id for e in reads}
        if len(cases) > LOOKUP_CASES:
            opening.append(reader)
        else:
            lookups += [(reader, case_id, min(e.seq or 0 for e in reads)) for case_id in cases]
    if not lookups:
        return opening
    read_before = _read_before(lookups, timezone.now() - WINDOW)
    new_case = {reader for i, (reader, _, _) in enumerate(lookups) if i not in read_before}
    return opening + [reader for reader in by_reader if reader in new_case]


def _read_before(lookups: list[tuple[tuple[int, int], UUID | None, int]], since: Any) -> set[int]:
    """Which of ``lookups`` ((actor, organisation), case, first position of the batch) had been
    read by that person for that organisation since ``since`` in an event sealed before: their
    indexes in the list."""
    case_field = AuditEvent._meta.get_field("case_id")
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(lookups))
    params: list[Any] = []
    for i, ((actor_id, organisation_id), case_id, before) in enumerate(lookups):
        params += [i, actor_id, organisation_id, case_field.get_db_prep_value(case_id, connection), before]
    # A subquery for each row, down the index on the case, newest first, stopping at the first
    # earlier read. PostgreSQL turns an EXISTS into a join that reads every event of the case and of
    # the person (a second at 1M events); and for a subquery it plans with the average case's
    # number of events, reading all of them as a bitmap and sorting, which for a case read over and
    # over (tens of thousands of events) took a third of a second a batch. The bitmap is
    # therefore switched off for this statement.
    sql = (
        f"WITH v(i, actor_id, organisation_id, case_id, before) AS (VALUES {rows}) "  # noqa: S608 (names from the model)
        f"SELECT v.i, (SELECT e.id FROM {table} e WHERE e.case_id = v.case_id "
        "AND e.actor_id = v.actor_id AND e.organisation_id = v.organisation_id AND e.action = %s "
        "AND e.at >= %s AND e.seq < v.before ORDER BY e.id DESC LIMIT 1) FROM v"
    )
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(sql, [*params, AuditAction.READ, since])
        found = {i for i, earlier in cursor.fetchall() if earlier is not None}
        if postgres:
            cursor.execute("SET LOCAL enable_bitmapscan = on")
    return found


def _check_read_rate(actor_id: int, organisation_id: int) -> AccessAlert | None:
    since = timezone.now() - WINDOW
    cases = _reads(actor_id, organisation_id, since).values("case_id").distinct().count()
    return _raise(AlertKind.READ_RATE, actor_id, organisation_id, since, cases, read_limit())


def _check_history_reads(actor_id: int, organisation_id: int) -> AccessAlert | None:
    since = timezone.now() - HISTORY_WINDOW
    reads = _reads(actor_id, organisation_id, since).filter(details__history_only=True).count()
    return _raise(AlertKind.HISTORY_READS, actor_id, organisation_id, since, reads, history_read_limit())


def _raise(
    kind: str, actor_id: int, organisation_id: int, since: Any, count: int, limit: int
) -> AccessAlert | None:
    if count <= limit:
        return None
    already = AccessAlert.objects.filter(
        actor_id=actor_id, organisation_id=organisation_id, kind=kind, at__gte=since
    ).exists()
    if already:
        return None
    alert = AccessAlert.objects.create(
        organisation_id=organisation_id,
        actor_id=actor_id,
        kind=kind,
        at=timezone.now(),
        window_start=since,
        count=count,
        limit=limit,
    )
    officers = [
        m.user
        for m in Membership.objects.filter(
            organisation_id=organisation_id, role=Role.DATA_PROTECTION, is_active=True, user__is_active=True
        ).select_related("user")
    ]
    notify(
        recipients=officers,
        kind="access_alert",
        title=f"Auffälliger Zugriff: {alert.actor.display_name} {alert.description}",
        body="Bitte prüfen Sie im Zugriffsprotokoll, ob die Zugriffe dienstlich geboten waren.",
        url=reverse("cases:access_log")
        + f"?organisation={organisation_id}&person={actor_id}&since={timezone.localdate(since).isoformat()}",
    )
    return alert
