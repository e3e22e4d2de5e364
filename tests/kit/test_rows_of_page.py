"""A page's rows are read for the page's keys, in the page's order, with the joins of the rows."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schutznetz.kit.pagination import rows_of_page

pytestmark = pytest.mark.django_db


def test_the_rows_of_a_page_come_in_the_order_of_its_keys_in_one_query_and_the_prefetch() -> None:
    groups = [Group.objects.create(name=f"Gruppe {i:02d}") for i in range(12)]
    keys = [groups[5].pk, groups[1].pk, groups[9].pk]
    with CaptureQueriesContext(connection) as queries:
        rows = rows_of_page(keys, Group.objects.prefetch_related("permissions"))
    assert [g.pk for g in rows] == keys
    assert len(queries) == 2
    assert rows_of_page([], Group.objects.all()) == []
