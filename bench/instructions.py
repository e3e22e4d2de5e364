"""Instructions per request of the daily pages, counted by valgrind's callgrind: unlike times on a
shared machine they repeat, so two versions of the code can be compared exactly.

    uv run python -m bench.instructions --scale 1000000 --requests 20
    uv run python -m bench.instructions --scale 4000 --requests 10 --check   # in make bench-small

Measures in the database a benchmark run loaded before at that scale (``python -m bench --scales
…``; ``DATABASE_URL`` as for ``--reuse``), as the heavy user, through Django's test client in one
process under callgrind: each page is warmed up, the session renewed and the garbage collected,
the counters zeroed, ``--requests`` requests made and the counters dumped. Only the Python process
is counted, not the database server's work. With ``PYTHONHASHSEED=0`` (set here) counts repeat
within 0.1 %. ``--check`` compares each page with its budget (``BUDGETS``) and fails when one is
over. valgrind is a Debian package (``apt-get install valgrind``); under it the process runs about
fifty times slower (two to four minutes in all).
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# The pages of issue 18's goal that need no data of their own, and the two baselines.
PAGES = {
    "Hallo Welt": "/bench/hello/",
    "Leeres Layout (angemeldet)": "/bench/layout/",
    "Meine Fälle": "/faelle/",
    "Meine Aufgaben": "/aufgaben/",
    "Fallseite": "/faelle/{case_id}/",
    "Meldungseingang": "/meldungen/",
    "Kindersuche exakt": "{search_exact}",
    "Kindersuche phonetisch": "{search_phonetic}",
}

# Each page's instructions per request as a multiple of hello-world's, at the scale of `make
# bench-small` (4,000 children; 10 requests per page), with about 10 % over what main measured
# (bench/README.md, "Instruction budgets"). `make bench-small` fails when a page exceeds its budget:
# a change that makes a page dearer raises the budget in the same commit, with the reason and the
# figures, or it does not land. Multiples rather than counts, so that the budgets hold where the
# C libraries take other paths for another processor.
BUDGETS = {
    "Leeres Layout (angemeldet)": 2.65,
    "Meine Fälle": 14.3,
    "Meine Aufgaben": 10.45,
    "Fallseite": 12.2,
    "Meldungseingang": 10.75,
    "Kindersuche exakt": 9.2,
    "Kindersuche phonetisch": 9.2,
}


def signed_in_pages(scale: int) -> tuple[Any, dict[str, str]]:
    """The heavy user's signed-in test client and the pages' addresses in the database a benchmark
    run loaded before at this scale (after ``django.setup()``)."""
    from bench.__main__ import _remembered_world
    from bench.harness import Context
    from bench.scenarios.search import search_url

    world = _remembered_world(scale)
    if world is None:
        raise SystemExit(f"No benchmark database loaded at {scale:,} children: run python -m bench first.")
    values = {
        "case_id": world.case_id,
        "search_exact": search_url(world.search_exact),
        "search_phonetic": search_url(world.search_phonetic),
    }
    client = Context(world=world, repeat=0).client(world.heavy_user)
    return client, {name: url.format(**values) for name, url in PAGES.items()}


def over_budget(counts: dict[str, int], budgets: dict[str, float]) -> list[str]:
    """The pages whose instructions per request exceed their budget (a multiple of hello-world's)."""
    hello = counts["Hallo Welt"]
    return [
        f"{name}: {counts[name] / hello:.2f}× hello-world's instructions per request (budget {budget:.2f}×)"
        for name, budget in budgets.items()
        if counts[name] / hello > budget
    ]


def _measured(scale: int, requests: int) -> None:
    """In the process under callgrind: for each page say 'ready', wait, make the requests, say
    'done', wait (the parent zeroes and dumps the counters meanwhile)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from schutznetz.accounts.middleware import SESSION_RENEWED_KEY

    client, urls = signed_in_pages(scale)
    for url in urls.values():
        for _ in range(5):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        # What would make the count depend on when the window opens: the session's renewal (once a
        # minute, so renewed just before the window, which lasts well under a minute) and a full
        # collection of the garbage collector over all objects of the process (collected now, the
        # survivors frozen, so the window's collections see only the requests' own objects).
        session = client.session
        session[SESSION_RENEWED_KEY] = int(time.time())
        session.save()
        gc.collect()
        gc.freeze()
        print("ready", flush=True)
        sys.stdin.readline()
        for _ in range(requests):
            client.get(url)
        print("done", flush=True)
        sys.stdin.readline()


def _summary(dump: Path) -> int:
    for line in dump.read_text().splitlines():
        if line.startswith("summary:"):
            return int(line.split()[1])
    raise ValueError(f"no summary in {dump}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.instructions")
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=20, help="counted requests per page")
    parser.add_argument("--check", action="store_true", help="fail when a page exceeds its budget")
    parser.add_argument("--measured", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measured:
        _measured(args.scale, args.requests)
        return 0
    valgrind, control = shutil.which("valgrind"), shutil.which("callgrind_control")
    if valgrind is None or control is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind).")
    with tempfile.TemporaryDirectory(prefix="schutznetz-callgrind-") as tmp:
        out = Path(tmp)
        child = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                valgrind,
                "--tool=callgrind",
                f"--callgrind-out-file={out}/callgrind.%p",
                sys.executable,
                "-m",
                "bench.instructions",
                "--measured",
                f"--scale={args.scale}",
                f"--requests={args.requests}",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=os.environ | {"PYTHONHASHSEED": "0"},
        )
        assert child.stdin is not None and child.stdout is not None
        pid = str(child.pid)
        counts: dict[str, int] = {}
        for number, name in enumerate(PAGES, start=1):
            if child.stdout.readline().strip() != "ready":
                break
            subprocess.run([control, "-z", pid], check=True, capture_output=True)  # noqa: S603
            child.stdin.write("\n")
            child.stdin.flush()
            if child.stdout.readline().strip() != "done":
                break
            subprocess.run([control, f"--dump={number}", pid], check=True, capture_output=True)  # noqa: S603
            child.stdin.write("\n")
            child.stdin.flush()
            counts[name] = _summary(out / f"callgrind.{pid}.{number}") // args.requests
        child.communicate()
        if len(counts) < len(PAGES) or child.returncode != 0:
            stopped = f"exit {child.returncode}, after {len(counts)} pages"
            raise SystemExit(f"The measured process stopped ({stopped}).")
    hello = counts["Hallo Welt"]
    print(f"Instructions per request, {args.scale:,} children, {args.requests} requests per page:")
    for name, count in counts.items():
        budget = f"   budget {BUDGETS[name]:5.2f}×" if name in BUDGETS else ""
        print(f"  {name:28s} {count / 1e6:8.2f} M  {count / hello:6.2f}× hello{budget}")
    if args.check:
        over = over_budget(counts, BUDGETS)
        for line in over:
            print(f"Over budget: {line}", file=sys.stderr)
        if over:
            return 1
        print("Every page within its budget.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
