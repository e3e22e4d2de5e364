from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from schutznetz.audit.models import AuditAction, AuditEvent
from schutznetz.audit.services import audit_record, audit_seal, audit_verify, insert_statement
from tests import factories as f

trigger_migration = importlib.import_module("schutznetz.audit.migrations.0005_sealed_after_commit")


def record(n: int, actor: object = None, *, sealed: bool = True) -> None:
    """``n`` events; sealed into the chain at once (the test's transaction never commits, so the
    sealing after the commit would not come)."""
    for i in range(n):
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.READ,
            object_type="Case",  # type: ignore[arg-type]
            object_id=str(i),
            purpose="Test",
        )
    if sealed:
        audit_seal()


@contextlib.contextmanager
def tampering() -> Iterator[None]:
    """Switch off the append-only triggers, as an attacker with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            for statement in trigger_migration.SQLITE_DROP:
                cursor.execute(statement)
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            for statement in trigger_migration.SQLITE_CREATE:
                cursor.execute(statement)


def verify_command() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_intact_chain_verifies(network: f.Network) -> None:
    record(20, network.admin)
    assert AuditEvent.objects.count() >= 20
    assert f"{AuditEvent.objects.count()} Einträge geprüft" in verify_command()


def test_edited_row_is_found(network: f.Network) -> None:
    record(10)
    with tampering():
        AuditEvent.objects.filter(seq=4).update(purpose="Kaffeepause")
    with pytest.raises(CommandError, match=r"bei Eintrag 4 \(mac\): MAC ungültig"):
        verify_command()


def test_deleted_row_is_found(network: f.Network) -> None:
    record(10)
    with tampering():
        AuditEvent.objects.filter(seq=6).delete()
    with pytest.raises(CommandError, match=r"bei Eintrag 6 \(gap\): Eintrag fehlt"):
        verify_command()


def test_swapped_rows_are_found(network: f.Network) -> None:
    record(10)
    first, second = AuditEvent.objects.get(seq=3), AuditEvent.objects.get(seq=4)
    with tampering():
        # Swap everything but the position: the chain order no longer matches the content.
        for event, seq in ((first, -3), (second, 3), (first, 4)):
            AuditEvent.objects.filter(pk=event.pk).update(seq=seq)
    result = audit_verify()
    assert not result.ok and result.first_bad_seq == 3


def test_update_is_refused_by_the_database(network: f.Network) -> None:
    record(3)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=2).update(purpose="x")
    assert audit_verify().ok


def test_delete_is_refused_by_postgresql_and_found_by_verify_on_sqlite(network: f.Network) -> None:
    record(3)
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(seq=2).delete()
        assert audit_verify().ok
    else:
        AuditEvent.objects.filter(seq=2).delete()
        assert audit_verify().first_bad_seq == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_chain_valid() -> None:
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(25):
                record(1)
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
    result = audit_verify()
    assert result.ok and result.checked == 100


@pytest.mark.django_db
def test_an_event_rolls_back_with_the_change_it_records(network: f.Network) -> None:
    """The event is written in the caller's transaction, whichever way the INSERT is sent."""
    before = AuditEvent.objects.count()
    with contextlib.suppress(RuntimeError), transaction.atomic():
        record(1, sealed=False)
        assert AuditEvent.objects.count() == before + 1
        raise RuntimeError("the change fails")
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_the_insert_is_counted_where_statements_are_recorded(network: f.Network) -> None:
    """Query counts (tests, ``bench``) see the event's INSERT like every other statement."""
    with CaptureQueriesContext(connection) as captured:
        record(1, sealed=False)
    assert [q for q in captured.captured_queries if q["sql"].startswith("INSERT INTO")]


@pytest.mark.django_db
def test_the_insert_is_a_prepared_statement_and_nothing_else_is(network: f.Network) -> None:
    """On PostgreSQL the event's INSERT is parsed and planned once per connection (each audited
    request sends it); Django's own statements stay unprepared, as a pooler expects them."""
    before = AuditEvent.objects.count()
    record(3, sealed=False)
    assert AuditEvent.objects.filter(purpose="Test").count() == 3
    assert AuditEvent.objects.count() == before + 3
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cursor.fetchall()]
        parts = insert_statement().split("%s")
        numbered = parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], start=1))
        # One for each combination of empty values it was sent with (their types differ).
        assert prepared and set(prepared) == {numbered}


@pytest.mark.django_db
def test_an_insert_in_a_broken_transaction_is_refused(network: f.Network) -> None:
    """As with Django's cursors: after a failed statement nothing more is written in the
    transaction, so no event claims a change that was not made."""
    with transaction.atomic():
        with (
            contextlib.suppress(DatabaseError),
            transaction.atomic(savepoint=False),
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT * FROM no_such_table")
        with pytest.raises(TransactionManagementError):
            record(1, sealed=False)
