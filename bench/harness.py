"""Timing, query counting and the hello-world baseline shared by all scenarios."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.generate import World
from schutznetz.accounts.models import User


@dataclass
class Result:
    scenario: str
    name: str
    p50_ms: float
    p95_ms: float
    p99_ms: float
    per_s: float
    queries: int | None = None
    ratio_p95: float | None = None  # p95 / hello-world p95 of the same run
    ratio_per_s: float | None = None  # requests/s / hello-world requests/s
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Context:
    world: World
    repeat: int
    hello: Result | None = None
    http_seconds: float = 10.0  # wrk's run per page against gunicorn
    http_workers: int = 2  # gunicorn workers, as `schutznetz serve` starts by default
    explain: dict[str, list[str]] = field(default_factory=dict)

    def client(self, user_id: int | None = None) -> Client:
        """A test client signed in with password and second factor (or anonymous)."""
        client = Client()
        if user_id is not None:
            user = User.objects.get(pk=user_id)
            device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
                user=user, name="bench", confirmed=True
            )
            client.force_login(user)
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
        return client


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0], ordered[0], ordered[0]
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return statistics.median(ordered), q[94], q[98]


def timed(scenario: str, name: str, call: Callable[[], Any], repeat: int, warmup: int = 3) -> Result:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    p50, p95, p99 = percentiles(samples)
    return Result(
        scenario,
        name,
        round(p50, 3),
        round(p95, 3),
        round(p99, 3),
        round(1000 / statistics.fmean(samples), 1),
    )


def page(ctx: Context, scenario: str, name: str, client: Client, url: str, explain: bool = False) -> Result:
    """Time GET url; count its queries; compare with hello-world; optionally EXPLAIN its SELECTs."""

    def get() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"{url}: {response.status_code}")

    result = timed(scenario, name, get, ctx.repeat)
    with CaptureQueriesContext(connection) as captured:
        get()
    result.queries = len(captured.captured_queries)
    if ctx.hello is not None:
        result.ratio_p95 = round(result.p95_ms / ctx.hello.p95_ms, 2)
        result.ratio_per_s = round(result.per_s / ctx.hello.per_s, 3)
    if explain and connection.vendor == "postgresql":
        ctx.explain[name] = _explain(captured.captured_queries)
    return result


def _explain(queries: list[dict[str, str]]) -> list[str]:
    plans = []
    with connection.cursor() as cursor:
        for q in queries:
            sql = q["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or "pg_advisory" in sql:
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plans.append(sql + "\n" + "\n".join(row[0] for row in cursor.fetchall()))
    return plans
