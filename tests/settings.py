"""Settings for the test suite: production settings, with a throw-away key and fast hashing."""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "insecure-key-for-tests-only")
os.environ.setdefault("SCHUTZNETZ_VAULT_KEY", "dGVzdC12YXVsdC1rZXktMzItYnl0ZXMtbG9uZy4uLi4=")
os.environ.setdefault("SCHUTZNETZ_INDEX_KEY", "dGVzdC1pbmRleC1rZXktMzItYnl0ZXMtbG9uZy4uLi4=")
os.environ.setdefault("SCHUTZNETZ_AUDIT_KEY", "dGVzdC1hdWRpdC1rZXktMzItYnl0ZXMtbG9uZy4uLi4=")
os.environ.setdefault("SCHUTZNETZ_AUDIT_SIGNING_KEY", "dGVzdC1zaWduaW5nLWtleS0zMi1ieXRlcy1sb25nLi4=")
# Each commit seals at once, so that a test can check the chain right after a request.
os.environ.setdefault("SCHUTZNETZ_AUDIT_SEALING", "inline")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
os.environ.setdefault("SCHUTZNETZ_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))

from schutznetz.settings import *  # noqa: F403

# Hashing is not under test here; the real hasher made the suite several times slower.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Expected 4xx responses in tests are not worth a log line each.
LOGGING["loggers"]["django.request"] = {"level": "ERROR"}  # noqa: F405
# Persistent connections of live-server threads would keep the test database open at teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    # The suite commits thousands of times; waiting for each commit's WAL flush measures the disk,
    # not the code (a crash of the test server loses nothing the suite needs).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not shared memory: concurrent writers in tests then wait for the lock as in production.
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-suite.sqlite3")}  # noqa: F405

# Queued tasks (e-mail) run at once in tests; the worker's database queue is tested end to end apart.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
