"""Pagination for lists that can grow large (a big youth office's cases)."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most ``COUNT_CAP`` rows, so that a page costs the same for 100 or 100,000 rows.

    Lists that long are narrowed by search, not browsed page by page; ``capped`` tells the template
    to say "more than 1,000".
    """

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return int(self.object_list[: COUNT_CAP + 1].count())  # type: ignore[index, union-attr]

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP
