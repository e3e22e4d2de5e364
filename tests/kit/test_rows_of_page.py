"""A page's rows are read for the page's keys, in the page's order, with the joins of the rows."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schutznetz.kit.pagination import rows_of_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups() -> list[Group]:
    return [Group.objects.create(name=f"Gruppe {i:02d}") for i in range(12)]


def test_a_slice_of_the_list_is_read_in_one_query_in_its_order(groups: list[Group]) -> None:
    listed = Group.objects.filter(name__gte="Gruppe 02").order_by("-name")
    page = Paginator(listed, 4).page(2).object_list
    with CaptureQueriesContext(connection) as queries:
        rows = rows_of_page(page, Group.objects.prefetch_related("permissions"))
    assert [g.name for g in rows] == ["Gruppe 07", "Gruppe 06", "Gruppe 05", "Gruppe 04"]
    assert len(queries) == 2  # the rows (with the page's keys as a subquery) and the prefetch


def test_objects_a_paginator_read_keep_their_order(groups: list[Group]) -> None:
    page = [groups[5], groups[1], groups[9]]
    rows = rows_of_page(page, Group.objects.all())
    assert [g.pk for g in rows] == [groups[5].pk, groups[1].pk, groups[9].pk]
    assert rows_of_page([], Group.objects.all()) == []
