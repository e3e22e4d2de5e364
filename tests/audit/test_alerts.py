"""Unusual access found when events are sealed in batches (as the sealer process seals them)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schutznetz.audit import alerts
from schutznetz.audit.models import AccessAlert, AuditAction
from schutznetz.audit.services import audit_record, audit_seal
from tests import factories as f

pytestmark = pytest.mark.django_db


def _reads(network: f.Network, cases: list[uuid.UUID], reader: Any = None, *, seal: bool = True) -> None:
    """Case reads by one professional, written unsealed and then sealed in one batch."""
    for case_id in cases:
        audit_record(
            actor=reader or network.dortmund_professional,
            organisation=network.dortmund,
            action=AuditAction.READ,
            object_type="Case",
            object_id=case_id,
            case_id=case_id,
            purpose="Fallakte einsehen",
        )
    if seal:
        audit_seal()


def test_cases_read_within_one_batch_are_counted_once_each(network: f.Network, settings: Any) -> None:
    settings.SCHUTZNETZ_AUDIT_READ_LIMIT_PER_HOUR = 2
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    _reads(network, [first, first, second, first])
    assert not AccessAlert.objects.exists()
    _reads(network, [second, first, third])  # the third case in the hour
    alert = AccessAlert.objects.get()
    assert (alert.actor, alert.organisation, alert.count) == (
        network.dortmund_professional,
        network.dortmund,
        3,
    )


def test_a_batch_of_many_cases_is_counted_at_once(network: f.Network, settings: Any) -> None:
    settings.SCHUTZNETZ_AUDIT_READ_LIMIT_PER_HOUR = alerts.LOOKUP_CASES
    _reads(network, [uuid.uuid4() for _ in range(alerts.LOOKUP_CASES + 1)])
    assert AccessAlert.objects.get().count == alerts.LOOKUP_CASES + 1


def test_reading_the_same_case_again_and_again_is_not_counted_again(
    network: f.Network, settings: Any
) -> None:
    """The person reading one case over and over costs the sealer a lookup, not a count of all
    their reads in the hour."""
    settings.SCHUTZNETZ_AUDIT_READ_LIMIT_PER_HOUR = 2
    case_id = uuid.uuid4()
    _reads(network, [case_id])
    with CaptureQueriesContext(connection) as captured:
        _reads(network, [case_id] * 20)
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not AccessAlert.objects.exists()


def test_the_cases_of_all_readers_in_a_batch_are_looked_up_in_one_query(
    network: f.Network, settings: Any
) -> None:
    """Only the reader who opened a case not read within the hour is counted; the lookup for all
    readers of the batch is one statement, whatever their number."""
    settings.SCHUTZNETZ_AUDIT_READ_LIMIT_PER_HOUR = 1
    known, other, new = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    coordinator = network.dortmund_coordinator
    _reads(network, [known])
    _reads(network, [other], coordinator)
    _reads(network, [known, known], seal=False)
    _reads(network, [other, new], coordinator, seal=False)
    with CaptureQueriesContext(connection) as captured:
        audit_seal()
    lookups = [q for q in captured.captured_queries if q["sql"].startswith("WITH v(")]
    assert len(lookups) == 1
    counts = [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1  # the coordinator's cases; the professional's were all known
    alert = AccessAlert.objects.get()
    assert (alert.actor, alert.count) == (coordinator, 2)
