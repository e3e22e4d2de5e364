"""The database's share of each daily page: what a request would cost if Python did nothing but
send the page's statements.

    uv run python -m bench.floor --scale 1000000

Measures in the database a benchmark run loaded before at that scale (``python -m bench --scales
…``; ``DATABASE_URL`` as for ``--reuse``), as the heavy user. For each page, one request's
statements are recorded (the values bound into them, as the client binds them); the reads are then
sent again ``--repeat`` times on the bare psycopg connection — no ORM, no model instances, no
template, no middleware — and timed as the page is timed through the test client. The floor of a
page is hello-world's time plus its reads beyond hello-world's own: no implementation of the page on
this schema, this PostgreSQL and this machine can answer faster while sending these statements
(writes, the audit record of a read, are left out and counted apart, so the floor is low).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any

from bench.instructions import signed_in_pages


def _mean_p95(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    from bench.harness import timed  # after django.setup()

    result = timed("floor", "", call, repeat, warmup=max(5, repeat // 10))
    return 1000 / result.per_s, result.p95_ms


def _replay(cursor: Any, statements: list[str]) -> None:
    for sql in statements:
        cursor.execute(sql)  # recorded from the page's own request: the SQL as it was sent
        cursor.fetchall()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.floor")
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--statements", action="store_true", help="each read's own time as well")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, urls = signed_in_pages(args.scale)
    print(f"{args.scale:,} children, {args.repeat} requests and replays per page, mean / p95 in ms:")
    print(f"  {'':28s} {'page':>15s} {'its reads alone':>17s} {'floor':>15s}  {'× hello':>7s}  reads writes")
    hello: dict[str, float] = {}
    for name, url in urls.items():

        def get(url: str = url) -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise AssertionError(f"{url}: {response.status_code}")

        page = _mean_p95(get, args.repeat)
        with CaptureQueriesContext(connection) as captured:
            get()
        statements = [q["sql"] for q in captured.captured_queries]
        reads = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
        raw = connection.connection.cursor()  # the bare psycopg cursor, below Django's wrappers
        alone = _mean_p95(lambda raw=raw, reads=reads: _replay(raw, reads), args.repeat)
        if not hello:
            hello = {"page_mean": page[0], "page_p95": page[1], "reads_mean": alone[0], "reads_p95": alone[1]}
        floor = (
            hello["page_mean"] + alone[0] - hello["reads_mean"],
            hello["page_p95"] + alone[1] - hello["reads_p95"],
        )
        ratio = floor[0] / hello["page_mean"]
        writes = len(statements) - len(reads)
        print(
            f"  {name:28s} {page[0]:6.2f} / {page[1]:6.2f}  {alone[0]:6.2f} / {alone[1]:6.2f}   "
            f"{floor[0]:6.2f} / {floor[1]:6.2f}  {ratio:6.2f}×  {len(reads):5d} {writes:6d}",
            flush=True,
        )
        if args.statements:
            for sql in reads:
                each = _mean_p95(lambda raw=raw, sql=sql: _replay(raw, [sql]), args.repeat)
                print(f"      {each[0]:6.2f} / {each[1]:6.2f}  {sql[:90]}")
        raw.close()
    print(
        "floor = hello-world's time + the page's reads beyond hello-world's own, sent on the bare "
        "connection; × hello compares the floor's mean with hello-world's."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
