from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from schutznetz.accounts.middleware import SESSION_RENEWED_KEY
from tests import factories as f
from tests.smtp import smtp  # noqa: F401 (a fixture for every test module)

CHROMIUM = "/usr/bin/chromium"
# The shared cache of a production instance with several workers (sessions, throttles), as the
# README recommends it; tests use keys of their own under a prefix and never clear it.
TEST_CACHE_URL = os.environ.get("TEST_CACHE_URL", "redis://127.0.0.1:6379/15")


def _preflight() -> str | None:
    """Required parts of the suite that must not be silently skipped."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        import psycopg

        try:
            psycopg.connect(
                host=db["HOST"] or "127.0.0.1",
                port=db["PORT"] or 5432,
                user=db["USER"],
                dbname=db["NAME"],
                password=db.get("PASSWORD") or None,
                connect_timeout=5,
            ).close()
        except psycopg.OperationalError as error:
            return (
                f"PostgreSQL is not reachable at {db['HOST']}:{db['PORT'] or 5432} ({error}).\n"
                "Install and start PostgreSQL 15+ (Debian: apt-get install postgresql), or point "
                "TEST_DATABASE_URL at a running server."
            )
    import redis

    try:
        redis.Redis.from_url(TEST_CACHE_URL, socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        return (
            f"Redis is not reachable at {TEST_CACHE_URL} ({error}); the tests of the shared cache "
            "need it.\nInstall and start Redis (Debian: apt-get install redis-server), or point "
            "TEST_CACHE_URL at a running server."
        )
    if not os.path.exists(CHROMIUM):
        return (
            f"Chromium is missing ({CHROMIUM}); the browser tests need it.\n"
            "Install Debian's package: apt-get install chromium"
        )
    return None


def pytest_sessionstart(session: pytest.Session) -> None:
    problem = _preflight()
    if problem:
        pytest.exit(f"\n\nCannot run the test suite: {problem}\n", returncode=3)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(tmp_path: Path, settings: Any) -> None:
    """Each test's audit checkpoints in a directory of its own: the database is rolled back after
    each test, a checkpoint file would not be."""
    settings.SCHUTZNETZ_AUDIT_CHECKPOINT_DIR = str(tmp_path / "audit-checkpoints")


@pytest.fixture
def subprocess_database_url(django_db_setup: Any, tmp_path: Path) -> Iterator[str]:
    """A database of the test's own for the command-line runs in subprocesses (the test database,
    inside the test's transaction, is not theirs to see), dropped after the test.

    Named after this worker's test database: with one fixed name, a test on the other xdist worker
    dropped it WITH (FORCE) under a running subprocess (AdminShutdown)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'subprocess.sqlite3'}"
        return
    import psycopg

    db_settings = connection.settings_dict
    name = f"{db_settings['NAME']}_subprocess"
    server = {"host": db_settings["HOST"], "port": db_settings["PORT"], "user": db_settings["USER"]}
    with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
        drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        admin.execute(drop)
        admin.execute(f'CREATE DATABASE "{name}"')
        yield f"postgres://{db_settings['USER']}@{db_settings['HOST']}:{db_settings['PORT']}/{name}"
        admin.execute(drop)


@pytest.fixture
def network(db: Any) -> f.Network:
    """A small network: two youth offices, a practice, a care provider, with named actors."""
    return f.build_network()


def login(client: Client, user: Any) -> Client:
    """Sign a user in as after password and TOTP (session marked OTP-verified)."""
    client.force_login(user)
    device = f.totp_device(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session[SESSION_RENEWED_KEY] = int(time.time())  # as the sign-in's response sets it
    session.save()
    return client


@pytest.fixture
def as_coordinator(client: Client, network: f.Network) -> Client:
    return login(client, network.dortmund_coordinator)


@pytest.fixture
def as_professional(client: Client, network: f.Network) -> Client:
    return login(client, network.dortmund_professional)


@pytest.fixture
def world(db: Any) -> f.CaseWorld:
    return f.build_case_world()
