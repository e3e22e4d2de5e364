"""Pagination for lists that can grow large (a big youth office's cases)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest

M = TypeVar("M", bound=Model)

COUNT_CAP = 1000
# Rows per page of the lists in the UI (the API's page size is REST_FRAMEWORK['PAGE_SIZE']).
PAGE_SIZE = 25


def page_of(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> Page[Any]:
    """The page of ``items`` that ``?page=`` asks for (the last one if it is too large, the first if
    it is not a number)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


class ReadAheadPaginator(Paginator):
    """Pages of a list read only as far as the page asked for and one row more (``page_read_ahead``):
    whether a next page follows is known, how many is not (``open_ended``). A list longer than its
    cap is ``capped``: it is narrowed by search, not browsed page by page."""

    def __init__(self, object_list: Any, per_page: int, *, open_ended: bool, capped: bool, cap: int) -> None:
        super().__init__(object_list, per_page)
        self.open_ended = open_ended
        self.capped = capped
        self.cap_label = f"{cap:,}".replace(",", ".")  # the German way (1.000)


def page_read_ahead(
    request: HttpRequest,
    read: Callable[[int], list[Any]],
    *,
    cap: int | None = None,
    per_page: int = PAGE_SIZE,
) -> Page[Any]:
    """The page that ``?page=`` asks for, of a list whose first ``n`` rows (in list order) ``read(n)``
    returns; at most ``cap`` rows (``COUNT_CAP`` if not given) are paged. Only the rows up to that
    page and one more are read, so a page costs what it shows: no count of a long list, a next page
    known by the row beyond. A page number that is not a number is the first page, one below 1 the
    last (as ``page_of``), for which the list is read up to its cap."""
    cap = COUNT_CAP if cap is None else cap
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        number = 1
    upto = cap if number < 1 else min(number * per_page, cap)
    rows = read(upto + 1)
    capped = len(rows) > cap
    paginator = ReadAheadPaginator(
        rows[:cap], per_page, open_ended=not capped and len(rows) > upto, capped=capped, cap=cap
    )
    return paginator.get_page(request.GET.get("page"))


def rows_of_page(keys: Sequence[Any], rows: QuerySet[M]) -> list[M]:
    """The objects of one page of a list, given by their keys in list order, as ``rows`` reads them
    (its joins and prefetches), in that order.

    A list's conditions then pick and order only the keys of a page, and the joins of what a row
    shows are read for those keys alone: with the joins in the list's own query, PostgreSQL weighed
    them against every order of the conditions' subqueries (planning took longer than answering)
    and joined every row before sorting and cutting the page.
    """
    position = {key: i for i, key in enumerate(keys)}
    return sorted(rows.filter(pk__in=list(position)), key=lambda obj: position[obj.pk])
