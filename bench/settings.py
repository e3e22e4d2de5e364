"""Settings of a benchmark run: the production settings with a URL for the hello-world baseline.

The runner points DATABASE_URL at a database of its own (created and dropped by it) and supplies
throw-away keys, so nothing here touches a real instance.
"""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("SCHUTZNETZ_VAULT_KEY", "YmVuY2htYXJrLXZhdWx0LWtleS0zMi1ieXRlcy0uLi4=")
os.environ.setdefault("SCHUTZNETZ_INDEX_KEY", "YmVuY2htYXJrLWluZGV4LWtleS0zMi1ieXRlcy0uLi4=")
os.environ.setdefault("SCHUTZNETZ_AUDIT_KEY", "YmVuY2htYXJrLWF1ZGl0LWtleS0zMi1ieXRlcy0uLi4=")
os.environ.setdefault("SCHUTZNETZ_AUDIT_SIGNING_KEY", "YmVuY2htYXJrLXNpZ24ta2V5LTMyLWJ5dGVzLS4uLi4=")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/schutznetz_bench")
# As `schutznetz serve` runs: one sealer process beside the web workers (audit/sealer.py).
os.environ.setdefault("SCHUTZNETZ_AUDIT_SEALING", "process")
# As an instance with several workers runs (README, CACHE_URL): a shared Redis cache, which also
# holds the sessions (a database of its own on the local Redis; CACHE_URL names another).
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/14")

from schutznetz.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
# Requests are measured in-process; the password hasher matters only for seeding.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING["loggers"]["django.request"] = {"level": "CRITICAL"}  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
