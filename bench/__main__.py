"""Run the benchmarks: for each scale a fresh database, generated data, every scenario.

    python -m bench --scales 10000,100000,1000000      # make bench
    python -m bench --scales 1000,4000 --repeat 15 --check   # make bench-small (CI)

Writes bench/results/<time>-<commit>.json and .md (and latest.md). With --check, exits non-zero
when a page's query count differs between the scales or exceeds ``MAX_QUERIES`` (10).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def _admin_connection() -> Any:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


def _fresh_database() -> None:
    """Drop and create the benchmark database (PostgreSQL) or file (SQLite), then migrate."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    # The new database's chain is witnessed by checkpoints of its own: the last scale's checkpoints
    # witness a chain that is gone (its own and its servers' sealer processes read this setting).
    checkpoints = tempfile.mkdtemp(prefix="schutznetz-bench-checkpoints-")
    os.environ["SCHUTZNETZ_AUDIT_CHECKPOINT_DIR"] = settings.SCHUTZNETZ_AUDIT_CHECKPOINT_DIR = checkpoints
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        name = db["NAME"]
        if not name.startswith("schutznetz_bench"):
            raise SystemExit(
                f"Refusing to drop database {name!r}: benchmark databases start with schutznetz_bench"
            )
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    else:
        Path(db["NAME"]).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)


def _database_bytes() -> int:
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
    return Path(settings.DATABASES["default"]["NAME"]).stat().st_size


def _machine() -> dict[str, Any]:
    from django.db import connection

    memory = ""
    if Path("/proc/meminfo").exists():
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split(":")[1].strip()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        database = cursor.fetchone()[0]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "database": database,
        "commit": commit,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _remember(world: Any, load_seconds: float, settle_seconds: float) -> None:
    """Keep what the scenarios need to know of the data with the database (as its comment), so that
    ``--reuse`` can measure again without loading again."""
    from django.db import connection

    world.rates.update(load_seconds=load_seconds, settle_seconds=settle_seconds)
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        name = connection.ops.quote_name(cursor.fetchone()[0])
        text = json.dumps(dataclasses.asdict(world), default=str).replace("'", "''")
        cursor.execute(f"COMMENT ON DATABASE {name} IS '{text}'")


def _remembered_world(scale: int) -> Any:
    """The world of a database loaded before at this scale (None if there is none)."""
    from django.db import DatabaseError, connection

    from bench.generate import World

    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                "WHERE datname = current_database()"
            )
            row = cursor.fetchone()
    except DatabaseError:  # no such database (or not PostgreSQL)
        return None
    if not row or not row[0]:
        return None
    world = World(**json.loads(row[0]))
    if world.scale != scale:
        return None
    for search in (world.search_exact, world.search_phonetic):
        search["birth_date"] = date.fromisoformat(search["birth_date"])
    return world


def run_scale(
    scale: int,
    repeat: int,
    http_seconds: float,
    http_workers: int,
    only: set[str] | None = None,
    reuse: bool = False,
) -> dict[str, Any]:
    from bench.generate import generate, settle
    from bench.harness import Context, timed
    from bench.scenarios import SCENARIOS

    world = _remembered_world(scale) if reuse else None
    if world is None:
        _fresh_database()
        start = time.perf_counter()
        world = generate(scale)
        load_seconds = time.perf_counter() - start
        settle()
        settle_seconds = time.perf_counter() - start - load_seconds
        _remember(world, load_seconds, settle_seconds)
    else:
        print("  reusing the loaded database", flush=True)
    load_seconds, settle_seconds = world.rates["load_seconds"], world.rates["settle_seconds"]
    size = _database_bytes()
    print(
        f"  {scale:>9,} children loaded in {load_seconds:.1f} s ({scale / load_seconds:,.0f} children/s, "
        f"indexes built in {world.rates.get('index_seconds', 0):.1f} s), vacuumed and analysed in "
        f"{settle_seconds:.1f} s; database {size / 2**30:.1f} GiB",
        flush=True,
    )
    ctx = Context(world=world, repeat=repeat, http_seconds=http_seconds, http_workers=http_workers)
    hello_client = ctx.client(world.heavy_user)
    ctx.hello = timed("baseline", "Hallo Welt", lambda: hello_client.get("/bench/hello/"), repeat * 2)
    results = [ctx.hello]
    for scenario in SCENARIOS:
        if only is None or scenario.NAME in only:
            results += scenario.run(ctx)
    for r in results:
        print(f"    {r.name:<34} p95 {r.p95_ms:8.2f} ms  {r.per_s:9.1f}/s  queries {r.queries}", flush=True)
    return {
        "scale": scale,
        "load_seconds": round(load_seconds, 1),
        "settle_seconds": round(settle_seconds, 1),
        "database_bytes": size,
        "rates": {k: round(v, 1) for k, v in world.rates.items()},
        "results": [r.as_dict() for r in results],
        "explain": ctx.explain,
    }


def _markdown(machine: dict[str, Any], runs: list[dict[str, Any]]) -> str:
    scales = [r["scale"] for r in runs]
    lines = [
        "# Benchmark results",
        "",
        f"Commit {machine['commit']}, {machine['date']}; {machine['cores']} cores, "
        f"{machine['memory']} memory, Python {machine['python']}; {machine['database'].split(' on ')[0]}.",
        "",
        "Requests are served in-process by Django's test client (middleware, views, templates, "
        "database) as a signed-in professional of the biggest youth office. Ratios compare with a "
        "hello-world view measured the same way in the same run. Rows marked HTTP are served by "
        "gunicorn on 127.0.0.1 (one worker per core, as in production) under load from wrk over as "
        "many connections as workers: latency as the client sees it, requests per second as the "
        "server's throughput, both compared with hello-world over HTTP.",
        "",
        "| | " + " | ".join(f"{s:,} children" for s in scales) + " |",
        "| --- | " + " | ".join("---" for _ in scales) + " |",
        "| load time | "
        + " | ".join(f"{r['load_seconds']} s ({r['rates'].get('children_per_s', 0):,.0f}/s)" for r in runs)
        + " |",
        "| database size | "
        + " | ".join(f"{r.get('database_bytes', 0) / 2**30:.2f} GiB" for r in runs)
        + " |",
    ]
    names = [r["name"] for r in runs[0]["results"]]
    for name in names:
        cells = []
        for run in runs:
            r = next(x for x in run["results"] if x["name"] == name)
            if r["p95_ms"]:
                cell = f"p50 {r['p50_ms']:.1f} / p95 {r['p95_ms']:.1f} / p99 {r['p99_ms']:.1f} ms"
                if r["ratio_p95"] is not None:
                    cell += f"; {r['ratio_p95']}× hello"
                if r["queries"] is not None:
                    cell += f"; {r['queries']} queries"
                if r["scenario"] == "http":
                    cell += f"; {r['per_s']:,.0f}/s"
                    if r["ratio_per_s"] is not None:
                        cell += f" ({r['ratio_per_s']}× hello)"
            else:
                cell = f"{r['per_s']:,.0f}/s"
                lag = r["extra"].get("sealing_lag_ms")
                if lag:
                    cell += "; sealed after p50 {p50:.0f} / p95 {p95:.0f} / p99 {p99:.0f} ms".format(**lag)
                if r["extra"].get("events_per_minute"):
                    cell += f" ({r['extra']['events_per_minute']:,}/min over {r['extra']['events']:,} events)"
            cells.append(cell)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# No page may take more queries than this, whatever the data.
MAX_QUERIES = 10


def _query_count_drift(runs: list[dict[str, Any]]) -> list[str]:
    """Pages whose query count differs between scales or exceeds ``MAX_QUERIES``."""
    problems = [
        f"{r['name']}: {r['queries']} queries at {run['scale']:,} (at most {MAX_QUERIES})"
        for run in runs
        for r in run["results"]
        if r["queries"] is not None and r["queries"] > MAX_QUERIES
    ]
    first = {r["name"]: r["queries"] for r in runs[0]["results"] if r["queries"] is not None}
    for run in runs[1:]:
        for r in run["results"]:
            if r["queries"] is not None and r["queries"] != first.get(r["name"]):
                problems.append(
                    f"{r['name']}: {first.get(r['name'])} queries at {runs[0]['scale']:,}, "
                    f"{r['queries']} at {run['scale']:,}"
                )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--scales", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=60, help="timed requests per page")
    parser.add_argument(
        "--check", action="store_true", help="fail when a query count grows with the data or exceeds 10"
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--http-seconds", type=float, default=10, help="wrk's run per page over HTTP")
    parser.add_argument("--http-workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--scenarios", default="", help="only these (comma-separated names, e.g. audit); latest.md is kept"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure again in the database loaded before at this scale (only the scenarios that "
        "read: pages, child_search, http), without loading again",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # as `schutznetz serve` does
    scales = [int(s) for s in args.scales.split(",")]
    only = set(args.scenarios.split(",")) if args.scenarios else None
    runs = []
    for scale in scales:
        print(f"Scale {scale:,}", flush=True)
        runs.append(run_scale(scale, args.repeat, args.http_seconds, args.http_workers, only, args.reuse))
    machine = _machine()
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{machine['commit']}" + (
        f"-{'-'.join(sorted(only))}" if only else ""
    )
    (args.out / f"{stem}.json").write_text(
        json.dumps({"machine": machine, "runs": runs}, indent=1, default=str)
    )
    markdown = _markdown(machine, runs)
    (args.out / f"{stem}.md").write_text(markdown)
    if only is None:
        (args.out / "latest.md").write_text(markdown)
    print(markdown)
    problems = _query_count_drift(runs)
    if problems:
        print(
            "Query counts grow with the data or exceed the limit:\n  " + "\n  ".join(problems),
            file=sys.stderr,
        )
        return 1 if args.check else 0
    print(f"Query counts equal at {', '.join(f'{s:,}' for s in scales)} children.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
