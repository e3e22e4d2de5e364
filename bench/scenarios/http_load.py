"""The same pages over HTTP: gunicorn on 127.0.0.1 as in production, loaded by wrk.

Each page is requested by ``wrk`` for ``ctx.http_seconds`` seconds over as many connections as
gunicorn has workers, so that every worker is busy all the time; the requests take turns over
several sessions of the heavy user (real users do not share one session row). Latencies are
measured by wrk, as the client sees them; requests per second is the server's throughput. The
hello-world view is measured the same way on the same server, and each page is reported as a ratio
to it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

from bench.harness import Context, Result
from bench.scenarios.search import search_url

NAME = "http"
ROOT = Path(__file__).resolve().parents[2]
SESSIONS = 8

# wrk: rotate the session cookies, then print the figures as JSON (latencies in microseconds).
WRK_SCRIPT = """
local cookies = {%(cookies)s}
local i = 0
request = function()
  i = i %% #cookies + 1
  local headers = {}
  if cookies[i] ~= "" then headers["Cookie"] = cookies[i] end
  return wrk.format("GET", "%(path)s", headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "socket_errors": %%d, "http_errors": %%d, ' ..
    '"p50_us": %%d, "p95_us": %%d, "p99_us": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(workers: int) -> Iterator[str]:
    """gunicorn with the benchmark settings on a free local port; yields its base URL."""
    port = _free_port()
    log = tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "bench.settings"}
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "schutznetz.wsgi:application",
            "--config",
            "python:schutznetz.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--chdir",
            str(ROOT),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/bench/hello/", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass  # not listening yet, or the first request (loading every URL module) is slow
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise SystemExit(f"gunicorn did not start:\n{log.read()[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        Path(log.name).unlink(missing_ok=True)


def _session_cookies(ctx: Context) -> list[str]:
    name = settings.SESSION_COOKIE_NAME
    return [f"{name}={ctx.client(ctx.world.heavy_user).cookies[name].value}" for _ in range(SESSIONS)]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _check(base: str, path: str, cookie: str) -> None:
    """The page answers 200 to the signed-in user (not a redirect to the login page)."""
    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(f"{base}{path}", headers=headers)  # noqa: S310
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise AssertionError(f"{path}: HTTP {status} from gunicorn")


def wrk(base: str, path: str, cookies: list[str], seconds: float, connections: int) -> dict[str, float]:
    program = shutil.which("wrk")
    if program is None:
        raise SystemExit("wrk is missing: the HTTP benchmark needs it (Debian: apt-get install wrk)")
    script_text = WRK_SCRIPT % {
        "cookies": ", ".join(json.dumps(c) for c in cookies),
        "path": path,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(script_text)
    try:
        run = subprocess.run(  # noqa: S603 - fixed arguments
            [
                program,
                "--threads",
                "1",
                "--connections",
                str(connections),
                "--duration",
                f"{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "--script",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        Path(script.name).unlink(missing_ok=True)
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    if figures["socket_errors"] or figures["http_errors"]:
        raise AssertionError(f"{path}: wrk saw errors: {figures}")
    return figures


def _result(name: str, figures: dict[str, float], hello: Result | None) -> Result:
    per_s = figures["requests"] / (figures["duration_us"] / 1e6)
    result = Result(
        NAME,
        name,
        round(figures["p50_us"] / 1000, 3),
        round(figures["p95_us"] / 1000, 3),
        round(figures["p99_us"] / 1000, 3),
        round(per_s, 1),
        extra={"requests": figures["requests"]},
    )
    if hello is not None:
        result.ratio_p95 = round(result.p95_ms / hello.p95_ms, 2)
        result.ratio_per_s = round(result.per_s / hello.per_s, 3)
    return result


def run(ctx: Context) -> list[Result]:
    world = ctx.world
    signed_in = _session_cookies(ctx)
    anonymous = [""]
    pages = [
        ("Hallo Welt", "/bench/hello/", signed_in),
        ("Anmeldeseite", "/account/login/", anonymous),
        ("Leeres Layout (angemeldet)", "/bench/layout/", signed_in),
        ("Meine Fälle", "/faelle/", signed_in),
        ("Meine Aufgaben", "/aufgaben/", signed_in),
        ("Fallseite", f"/faelle/{world.case_id}/", signed_in),
        ("Kindersuche phonetisch", search_url(world.search_phonetic), signed_in),
        ("Wissen: Suche", "/wissen/?q=Misshandlung", signed_in),
    ]
    workers = ctx.http_workers
    results: list[Result] = []
    hello: Result | None = None
    with gunicorn(workers) as base:
        for name, url, cookies in pages:
            path = quote(url, safe="/?=&%")
            _check(base, path, cookies[0])
            wrk(base, path, cookies, 1, workers)  # warm-up: worker caches, connections
            result = _result(f"HTTP: {name}", wrk(base, path, cookies, ctx.http_seconds, workers), hello)
            result.extra["workers"] = workers
            if hello is None:
                hello = result
            results.append(result)
    return results
