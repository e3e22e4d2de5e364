"""Pagination for lists that can grow large (a big youth office's cases)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

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
