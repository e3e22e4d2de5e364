"""One module per scenario. Each has ``NAME`` and ``run(ctx) -> list[Result]``; the runner runs
them in the order of ``SCENARIOS``. A later capability adds its module here (see bench/README.md)."""

from __future__ import annotations

from bench.scenarios import audit, crisis, http_load, pages, search, writes

SCENARIOS = [pages, search, writes, crisis, audit, http_load]
