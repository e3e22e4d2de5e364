"""`make bench-small` (CI) fails when a page's query count grows with the data or exceeds the limit."""

from __future__ import annotations

from typing import Any

from bench.__main__ import MAX_QUERIES, _query_count_drift


def _run(scale: int, **queries: int | None) -> dict[str, Any]:
    return {"scale": scale, "results": [{"name": name, "queries": n} for name, n in queries.items()]}


def test_equal_counts_within_the_limit_pass() -> None:
    runs = [_run(1000, Fallseite=10, Audit=None), _run(4000, Fallseite=10, Audit=None)]
    assert _query_count_drift(runs) == []


def test_a_count_that_grows_with_the_data_fails() -> None:
    assert _query_count_drift([_run(1000, Fallseite=9), _run(4000, Fallseite=10)]) == [
        "Fallseite: 9 queries at 1,000, 10 at 4,000"
    ]


def test_a_count_over_the_limit_fails_even_when_it_stays_flat() -> None:
    over = MAX_QUERIES + 1
    assert _query_count_drift([_run(1000, Fallseite=over), _run(4000, Fallseite=over)]) == [
        f"Fallseite: {over} queries at 1,000 (at most {MAX_QUERIES})",
        f"Fallseite: {over} queries at 4,000 (at most {MAX_QUERIES})",
    ]
