from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from schutznetz.accounts.services import api_token_create, user_deactivate
from schutznetz.accounts.views import MSG_INVALID_LOGIN, MSG_INVALID_TOKEN
from tests import factories as f
from tests.conftest import login

LOGIN = "/account/login/"


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return str(totp.token()).zfill(device.digits)


def post_password(client: Client, username: str, password: str) -> object:
    return client.post(
        LOGIN, {"login_view-current_step": "auth", "auth-username": username, "auth-password": password}
    )


def post_token(client: Client, code: str) -> object:
    return client.post(LOGIN, {"login_view-current_step": "token", "token-otp_token": code})


class TestLogin:
    def test_login_page_is_german(self, client: Client, db: None) -> None:
        response = client.get(LOGIN)
        assert response.status_code == 200
        assert (
            "Anmeldung" in response.text and "Benutzername" in response.text and "Passwort" in response.text
        )
        assert '<html lang="de"' in response.text

    def test_password_then_totp_code(self, client: Client, network: f.Network) -> None:
        device = f.totp_device(network.dortmund_professional)
        response = post_password(client, "hoffmann", f.PASSWORD)
        assert response.status_code == 200 and "Sicherheitscode" in response.text
        assert client.get(reverse("dashboard:home")).status_code == 302  # not signed in yet
        response = post_token(client, current_code(device))
        assert response.status_code == 302
        assert client.get(reverse("dashboard:home")).status_code == 200

    def test_wrong_totp_code_is_refused(self, client: Client, network: f.Network) -> None:
        device = f.totp_device(network.dortmund_professional)
        post_password(client, "hoffmann", f.PASSWORD)
        wrong = str((int(current_code(device)) + 1) % 1_000_000).zfill(6)
        response = post_token(client, wrong)
        assert response.status_code == 200
        assert MSG_INVALID_TOKEN in response.text
        assert client.get(reverse("dashboard:home")).status_code == 302

    def test_user_names_are_not_case_sensitive(self, client: Client, network: f.Network) -> None:
        f.totp_device(network.dortmund_professional)
        response = post_password(client, "Hoffmann", f.PASSWORD)
        assert "Sicherheitscode" in response.text

    def test_wrong_password_says_so_in_german(self, client: Client, network: f.Network) -> None:
        response = post_password(client, "hoffmann", "falsch")
        assert response.status_code == 200
        assert MSG_INVALID_LOGIN in response.text


class TestTotpRequiredOutsideDemo:
    def test_password_only_session_is_sent_to_totp_setup_for_every_page(
        self, client: Client, network: f.Network
    ) -> None:
        assert settings.TWO_FACTOR_REQUIRED
        response = post_password(client, "hoffmann", f.PASSWORD)  # no device enrolled yet
        assert response.status_code == 302
        for url in (reverse("dashboard:home"), reverse("network:directory"), reverse("accounts:profile")):
            page = client.get(url)
            assert page.status_code == 302 and page["Location"] == "/account/two_factor/setup/"

    def test_password_only_session_gets_no_api_access(self, client: Client, network: f.Network) -> None:
        client.force_login(network.dortmund_professional)
        assert client.get("/api/v1/organisations/").status_code == 403

    def test_enrolment_with_the_setup_wizard_then_access(self, client: Client, network: f.Network) -> None:
        post_password(client, "hoffmann", f.PASSWORD)
        page = client.post("/account/two_factor/setup/", {"setup_view-current_step": "welcome"})
        secret = page.context["secret_key"]
        import base64

        device = TOTPDevice(key=base64.b32decode(secret).hex())
        response = client.post(
            "/account/two_factor/setup/",
            {"setup_view-current_step": "generator", "generator-token": current_code(device)},
        )
        assert response.status_code == 302
        assert TOTPDevice.objects.filter(user=network.dortmund_professional, confirmed=True).exists()
        assert client.get(reverse("dashboard:home")).status_code == 200

    def test_demo_mode_lets_password_only_users_in(
        self, client: Client, network: f.Network, settings: object
    ) -> None:
        settings.TWO_FACTOR_REQUIRED = False  # type: ignore[attr-defined]
        post_password(client, "hoffmann", f.PASSWORD)
        assert client.get(reverse("dashboard:home")).status_code == 200

    def test_required_unless_demo_by_default(self) -> None:
        from schutznetz import settings as project_settings

        assert project_settings.TWO_FACTOR_REQUIRED is (not project_settings.DEMO_MODE)


class TestLockout:
    def test_account_locks_after_repeated_failures_even_for_the_right_password(
        self, client: Client, network: f.Network
    ) -> None:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            post_password(client, "hoffmann", "falsches-passwort")
        response = post_password(client, "hoffmann", f.PASSWORD)
        assert response.status_code == 429
        assert "vorübergehend gesperrt" in response.text
        assert client.get(reverse("dashboard:home")).status_code == 302

    def test_lockout_is_per_account_not_for_everyone(self, client: Client, network: f.Network) -> None:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            post_password(client, "hoffmann", "falsch")
        f.totp_device(network.dortmund_coordinator)
        response = post_password(Client(), "becker", f.PASSWORD)
        assert response.status_code == 200 and "Sicherheitscode" in response.text

    def test_lockout_ends_after_the_cool_off(self, client: Client, network: f.Network) -> None:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            post_password(client, "hoffmann", "falsch")
        f.totp_device(network.dortmund_professional)
        with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
            response = post_password(client, "hoffmann", f.PASSWORD)
        assert response.status_code == 200 and "Sicherheitscode" in response.text


class TestIdleTimeout:
    def test_session_ends_after_30_idle_minutes(self, client: Client, network: f.Network) -> None:
        login(client, network.dortmund_professional)
        assert settings.SESSION_COOKIE_AGE == 30 * 60
        with time_machine.travel(timezone.now() + timedelta(minutes=31)):
            response = client.get(reverse("dashboard:home"))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)

    def test_the_expiry_is_renewed_at_most_once_a_minute(self, client: Client, network: f.Network) -> None:
        login(client, network.dortmund_professional)
        start = timezone.now()

        def session_writes(at: datetime) -> int:
            with time_machine.travel(at), CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("dashboard:home")).status_code == 200
            return sum('UPDATE "django_session"' in q["sql"] for q in ctx.captured_queries)

        assert session_writes(start + timedelta(minutes=2)) == 1
        assert session_writes(start + timedelta(minutes=2, seconds=30)) == 0
        assert session_writes(start + timedelta(minutes=3, seconds=1)) == 1
        # 29 idle minutes after the last renewal the session still stands
        assert session_writes(start + timedelta(minutes=32)) == 1

    def test_activity_keeps_the_session_alive(self, client: Client, network: f.Network) -> None:
        login(client, network.dortmund_professional)
        start = timezone.now()
        for minutes in (20, 40, 60):
            with time_machine.travel(start + timedelta(minutes=minutes)):
                assert client.get(reverse("dashboard:home")).status_code == 200


class TestDeactivatedUser:
    def test_cannot_log_in(self, client: Client, network: f.Network) -> None:
        user_deactivate(user=network.dortmund_professional)
        response = post_password(client, "hoffmann", f.PASSWORD)
        assert response.status_code == 200
        assert client.get(reverse("dashboard:home")).status_code == 302

    def test_open_session_ends(self, client: Client, network: f.Network) -> None:
        login(client, network.dortmund_professional)
        user_deactivate(user=network.dortmund_professional)
        assert client.get(reverse("dashboard:home")).status_code == 302

    def test_api_token_stops_working(self, client: Client, network: f.Network) -> None:
        token = api_token_create(name="Test", user=network.dortmund_professional)
        headers = {"Authorization": f"Token {token.key}"}
        assert client.get("/api/v1/me/", headers=headers).status_code == 200
        user_deactivate(user=network.dortmund_professional)
        assert client.get("/api/v1/me/", headers=headers).status_code == 401

    def test_users_are_never_deleted_from_the_admin(self, network: f.Network) -> None:
        from django.contrib import admin

        from schutznetz.accounts.models import User

        model_admin = admin.site._registry[User]
        assert model_admin.has_delete_permission(None) is False


class TestApiToken:
    def test_made_on_the_profile_page_shown_once_stored_as_a_hash_and_revoked(
        self, client: Client, network: f.Network
    ) -> None:
        from schutznetz.accounts.models import ApiToken

        login(client, network.dortmund_professional)
        made = client.post(reverse("accounts:api_token_create"), {"name": "Fachverfahren", "days": 30})
        key = made.context["new_token"]
        assert key in made.text and "no-store" in made["Cache-Control"]
        token = ApiToken.objects.get(user=network.dortmund_professional)
        assert (
            key not in {token.digest, token.prefix}
            and token.digest == hashlib.sha256(key.encode()).hexdigest()
        )
        assert (token.expires_at - timezone.now()).days in (29, 30)
        # Not shown again.
        page = client.get(reverse("accounts:profile"))
        assert key not in page.text and "Fachverfahren" in page.text and token.prefix in page.text
        api = Client()
        assert api.get("/api/v1/me/", headers={"Authorization": f"Token {key}"}).status_code == 200
        token.refresh_from_db()
        assert token.last_used_at is not None
        client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
        assert api.get("/api/v1/me/", headers={"Authorization": f"Token {key}"}).status_code == 401
        assert "widerrufen am" in client.get(reverse("accounts:profile")).text

    def test_bearer_is_accepted_beside_token(self, network: f.Network) -> None:
        """API tools send ``Authorization: Bearer``; the same token works, a wrong one is a 401."""
        token = api_token_create(name="Test", user=network.dortmund_professional)
        api = Client()
        for keyword in ("Token", "Bearer", "bearer"):
            answer = api.get("/api/v1/me/", headers={"Authorization": f"{keyword} {token.key}"})
            assert answer.status_code == 200, keyword
        assert api.get("/api/v1/me/", headers={"Authorization": "Bearer falsch"}).status_code == 401

    def test_a_token_expires_and_lapses_when_unused(self, network: f.Network) -> None:
        short = api_token_create(name="kurz", user=network.dortmund_professional, days=1)
        idle = api_token_create(name="ungenutzt", user=network.dortmund_professional)
        api = Client()
        me = "/api/v1/me/"
        with time_machine.travel(timezone.now() + timedelta(days=2)):
            assert api.get(me, headers={"Authorization": f"Token {short.key}"}).status_code == 401
            assert api.get(me, headers={"Authorization": f"Token {idle.key}"}).status_code == 200
        with time_machine.travel(timezone.now() + timedelta(days=settings.API_TOKEN_IDLE_DAYS + 3)):
            assert api.get(me, headers={"Authorization": f"Token {idle.key}"}).status_code == 401

    def test_at_most_the_configured_lifetime(self, network: f.Network) -> None:
        with pytest.raises(ValidationError):
            api_token_create(name="ewig", user=network.dortmund_professional, days=3650)

    def test_by_the_api_list_create_revoke_and_nobody_elses(self, network: f.Network) -> None:
        first = api_token_create(name="Test", user=network.dortmund_professional)
        api = Client(headers={"Authorization": f"Token {first.key}"})
        made = api.post(
            "/api/v1/me/tokens/", {"name": "Zweitsystem", "days": 7}, content_type="application/json"
        )
        assert made.status_code == 201 and made.json()["token"].startswith(made.json()["prefix"])
        listed = api.get("/api/v1/me/tokens/").json()
        assert {t["name"] for t in listed} == {"Test", "Zweitsystem"} and all(
            "token" not in t for t in listed
        )
        other = api_token_create(name="Test", user=network.dortmund_coordinator)
        assert api.post(f"/api/v1/me/tokens/{other.token.pk}/revoke/").status_code == 404
        assert api.post(f"/api/v1/me/tokens/{made.json()['id']}/revoke/").json()["revoked_at"]


class TestHeaders:
    def test_csp_without_unsafe_inline_and_other_security_headers(self, client: Client, db: None) -> None:
        response = client.get(LOGIN)
        csp = response["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_cookies_are_secure_outside_demo(self) -> None:
        assert (
            settings.SESSION_COOKIE_SECURE
            and settings.CSRF_COOKIE_SECURE
            and settings.SESSION_COOKIE_HTTPONLY
        )

    @pytest.mark.parametrize("path", ["/healthz"])
    def test_health(self, client: Client, db: None, path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
