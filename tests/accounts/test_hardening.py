"""Hardening of every response and of the sign-in: nothing cached, no browser features, HSTS by
default, lockout per user name *and* address, attempts bounded per address, bounded API endpoints,
one sanitised log line for a tampered login wizard."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.throttling import ScopedRateThrottle

from schutznetz.accounts.services import api_token_create
from schutznetz.kit.logging import OneLineFilter
from tests import factories as f
from tests.accounts.test_security import LOGIN, post_password
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_pages_api_answers_and_pdfs_of_a_signed_in_user_are_not_stored(
    client: Client, world: f.CaseWorld
) -> None:
    login(client, world.lead)
    for url in (reverse("cases:detail", args=[world.case.pk]), reverse("cases:list")):
        assert "no-store" in client.get(url)["Cache-Control"]
    token = api_token_create(name="Test", user=world.lead)
    api = Client(headers={"Authorization": f"Token {token.key}"})
    assert "no-store" in api.get(reverse("api:case-detail", args=[world.case.pk]))["Cache-Control"]


def test_every_response_restricts_browser_features(client: Client, db: None) -> None:
    response = client.get(LOGIN)
    assert (
        "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    )


def test_hsts_for_a_year_outside_the_demo(client: Client, db: None) -> None:
    assert settings.SECURE_HSTS_SECONDS == 31_536_000
    response = client.get(LOGIN, secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_user_name_locked_from_one_address_signs_in_from_another(network: f.Network) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_password(attacker, "hoffmann", "falsch")
    assert post_password(attacker, "hoffmann", f.PASSWORD).status_code == 429  # type: ignore[attr-defined]
    f.totp_device(network.dortmund_professional)
    colleague = Client(REMOTE_ADDR="198.51.100.20")
    response = post_password(colleague, "hoffmann", f.PASSWORD)
    assert response.status_code == 200 and "Sicherheitscode" in response.text  # type: ignore[attr-defined]


def test_sign_in_attempts_are_bounded_per_address(network: f.Network) -> None:
    prober = Client(REMOTE_ADDR="203.0.113.9")
    names = [f"name{i}" for i in range(settings.LOGIN_ATTEMPTS_PER_IP)]
    for name in names:
        assert post_password(prober, name, "falsch").status_code == 200  # type: ignore[attr-defined]
    response = post_password(prober, "hoffmann", f.PASSWORD)
    assert response.status_code == 429  # type: ignore[attr-defined]
    assert "Zu viele Anmeldeversuche" in response.text  # type: ignore[attr-defined]
    # Another address is not affected.
    f.totp_device(network.dortmund_professional)
    assert post_password(Client(REMOTE_ADDR="198.51.100.21"), "hoffmann", f.PASSWORD).status_code == 200  # type: ignore[attr-defined]


def test_child_search_is_bounded_per_user(
    world: f.CaseWorld, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"child_search": "3/min", "free_text": "3/min"})
    login(client, world.lead)
    url = reverse("api:child-search")
    query = {"given_name": "Mia", "family_name": "Meier", "birth_date": "2021-01-15"}
    assert [client.get(url, query).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_a_tampered_login_wizard_step_is_400_and_one_clean_log_line(client: Client, db: None) -> None:
    response = client.post(LOGIN, {"login_view-current_stepX": "x\nFAKE LOG LINE\n", "auth-username": "a"})
    assert response.status_code == 400
    record = logging.LogRecord(
        "django.security.SuspiciousOperation", logging.ERROR, __file__, 1, "bad step %s", ("x\nFAKE",), None
    )
    record.exc_info = (ValueError, ValueError("boom"), None)
    assert OneLineFilter().filter(record)
    assert record.getMessage() == "bad step x\\nFAKE" and record.exc_info is None
    security = logging.getLogger("django.security")
    assert not security.propagate  # the root handler would write the traceback
    assert any(isinstance(f_, OneLineFilter) for h in security.handlers for f_ in h.filters)
