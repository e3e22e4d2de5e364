"""With several workers the README names a shared cache (``CACHE_URL``, Redis): sessions are read
from it, written through to the database, and a logout ends the session for every worker."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from tests import factories as f
from tests.conftest import TEST_CACHE_URL, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache() -> Iterator[None]:
    """The production configuration: Redis as the cache, sessions cached in it."""
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_CACHE_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    with override_settings(CACHES=caches, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        yield


def _another_worker(session_key: str) -> bool:
    """Whether a fresh session store (as in another worker process) finds the session."""
    store = import_module(django_settings.SESSION_ENGINE).SessionStore(session_key)
    return bool(store.load())


def test_a_session_is_held_in_the_shared_cache_and_ends_there_on_logout(
    shared_cache: None, network: f.Network
) -> None:
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX

    client = login(Client(), network.dortmund_professional)
    key = client.session.session_key
    assert key is not None
    assert cache.get(KEY_PREFIX + key) is not None
    assert client.get(reverse("cases:list")).status_code == 200
    assert _another_worker(key)

    client.post(reverse("accounts:logout"))
    assert cache.get(KEY_PREFIX + key) is None
    assert not _another_worker(key)
    assert client.get(reverse("cases:list")).status_code == 302
