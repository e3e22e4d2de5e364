"""`make bench-small` (CI) fails when a page's query count grows with the data or exceeds the limit, or
when a page executes more instructions per request than its budget."""

from __future__ import annotations

from typing import Any

from bench.__main__ import MAX_QUERIES, _query_count_drift
from bench.instructions import BUDGETS, PAGES, over_budget


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


def test_a_page_dearer_than_its_instruction_budget_fails() -> None:
    counts = {"Hallo Welt": 5_000_000, "Meine Fälle": 60_000_000, "Fallseite": 60_500_000}
    budgets = {"Meine Fälle": 12.0, "Fallseite": 12.0}
    assert over_budget(counts, budgets) == [
        "Fallseite: 12.10× hello-world's instructions per request (budget 12.00×)"
    ]


def test_every_budgeted_page_is_measured() -> None:
    assert set(BUDGETS) < set(PAGES)
    assert "Hallo Welt" not in BUDGETS
