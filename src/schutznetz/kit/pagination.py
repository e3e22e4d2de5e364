"""Pagination for lists that can grow large (a big youth office's cases)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest

M = TypeVar("M", bound=Model)

COUNT_CAP = 1000
# Rows per page of the lists in the UI (the API's page size is REST_FRAMEWORK['PAGE_SIZE']).
PAGE_SIZE = 25


class CappedPaginator(Paginator):
    """Counts at most ``COUNT_CAP`` rows, so that a page costs the same for 100 or 100,000 rows.

    Lists that long are narrowed by search, not browsed page by page; ``capped`` tells the template
    to say "more than 1,000".
    """

    def __init__(self, object_list: Any, per_page: int, *, counted: QuerySet[Any] | None = None) -> None:
        """``counted``: a cheaper query with one row per row of ``object_list``, if there is one."""
        super().__init__(object_list, per_page)
        self.counted = object_list if counted is None else counted

    @cached_property
    def count(self) -> int:
        return int(self.counted[: COUNT_CAP + 1].count())

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def cap_label(self) -> str:
        """The cap written the German way (1.000)."""
        return f"{COUNT_CAP:,}".replace(",", ".")


def page_of(
    request: HttpRequest,
    items: Any,
    per_page: int = PAGE_SIZE,
    *,
    capped: bool = False,
    counted: QuerySet[Any] | None = None,
) -> Page[Any]:
    """The page of ``items`` that ``?page=`` asks for (the last one if it is too large, the first if
    it is not a number). ``capped``: count at most ``COUNT_CAP`` rows, from ``counted`` if given
    (see ``CappedPaginator``)."""
    paginator: Paginator[Any] = (
        CappedPaginator(items, per_page, counted=counted)
        if capped or counted is not None
        else Paginator(items, per_page)
    )
    return paginator.get_page(request.GET.get("page"))


class ReadAheadPaginator(Paginator):
    """Pages of a list read only as far as the page asked for and one row more (``page_read_ahead``):
    whether a next page follows is known, how many follow is not (``open_ended``)."""

    def __init__(self, object_list: Any, per_page: int, *, open_ended: bool) -> None:
        super().__init__(object_list, per_page)
        self.open_ended = open_ended


def page_read_ahead(
    request: HttpRequest, read: Callable[[int], list[Any]], *, cap: int, per_page: int = PAGE_SIZE
) -> Page[Any]:
    """The page that ``?page=`` asks for, of a list whose rows ``read(n)`` returns (its first ``n``,
    in list order; the list ends after ``cap`` rows). Only the rows up to that page and one more are
    read, so the first page of a long list costs what it shows. A page number that is not a number
    is the first page, one below 1 the last (as ``page_of``), for which the list is read to its end."""
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        number = 1
    wanted = cap if number < 1 else min(number * per_page + 1, cap)
    rows = read(wanted)
    paginator = ReadAheadPaginator(rows, per_page, open_ended=len(rows) == wanted < cap)
    return paginator.get_page(request.GET.get("page"))


def rows_of_page(page: QuerySet[M] | Sequence[M], rows: QuerySet[M]) -> list[M]:
    """The objects of one page of a list, read by ``rows`` (its joins and prefetches), in the
    page's order.

    ``page`` is a slice of the list's query (``Page.object_list``) or the objects a paginator has
    read. The list's conditions then pick and order only the keys of the page, in a subquery, and
    the joins of what a row shows are read for those keys alone: with the joins in the list's own
    query, PostgreSQL weighed them against every order of the conditions' subqueries (planning took
    longer than answering) and joined every row before sorting and cutting the page.
    """
    if isinstance(page, QuerySet):
        return list(rows.filter(pk__in=page).order_by(*page.query.order_by))
    position = {obj.pk: i for i, obj in enumerate(page)}
    return sorted(rows.filter(pk__in=list(position)), key=lambda obj: position[obj.pk])
