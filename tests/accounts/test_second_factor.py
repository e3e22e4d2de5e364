"""A password alone never yields a verified session: not through the admin's login, not by enrolling
a second device. Replacing the device needs the current one, and is audited and mailed."""

from __future__ import annotations

import base64
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from schutznetz.accounts.views import MSG_SECOND_FACTOR_FIRST
from schutznetz.audit.models import AuditEvent
from tests import factories as f
from tests.accounts.test_security import current_code, post_password, post_token

SETUP = "/account/two_factor/setup/"


def _enrol(client: Client) -> Any:
    """Walk the set-up wizard as an attacker would: the welcome step, then a code for the new key."""
    page = client.post(SETUP, {"setup_view-current_step": "welcome"})
    if page.status_code != 200 or "secret_key" not in (page.context or {}):
        return page
    device = TOTPDevice(key=base64.b32decode(page.context["secret_key"]).hex())
    return client.post(
        SETUP, {"setup_view-current_step": "generator", "generator-token": current_code(device)}
    )


def test_a_password_only_session_cannot_enrol_a_second_device(client: Client, network: f.Network) -> None:
    user = network.dortmund_professional
    f.totp_device(user)
    client.force_login(user)  # what the admin's password-only login used to give
    response = _enrol(client)
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert client.get(reverse("dashboard:home")).status_code == 302  # signed out, not verified
    page = client.get(response["Location"])
    assert MSG_SECOND_FACTOR_FIRST in page.text


def test_the_admin_site_asks_for_the_second_factor(client: Client, network: f.Network) -> None:
    staff = f.make_user("stab", is_staff=True, is_superuser=True)
    f.totp_device(staff)
    login_page = client.get("/admin/login/")
    assert login_page.status_code == 302 and login_page["Location"].startswith("/account/login/")
    client.force_login(staff)  # a password-only session of a superuser
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/network/membership/").status_code == 302


def test_the_admin_site_opens_with_the_second_factor(client: Client, network: f.Network) -> None:
    staff = f.make_user("stab", is_staff=True, is_superuser=True)
    device = f.totp_device(staff)
    post_password(client, "stab", f.PASSWORD)
    post_token(client, current_code(device))
    assert client.get("/admin/").status_code == 200


def test_replacing_the_device_needs_the_current_one_and_is_audited_and_mailed(
    client: Client, network: f.Network, django_capture_on_commit_callbacks: Any
) -> None:
    user = network.dortmund_professional
    old = f.totp_device(user)
    post_password(client, "hoffmann", f.PASSWORD)
    post_token(client, current_code(old))
    assert client.get(SETUP).status_code == 200  # a verified session may start the wizard again
    with django_capture_on_commit_callbacks(execute=True):
        response = _enrol(client)
    assert response.status_code == 302
    devices = list(TOTPDevice.objects.filter(user=user))
    assert len(devices) == 1 and devices[0].pk != old.pk  # the old device no longer works
    event = AuditEvent.objects.filter(actor=user, object_type="TOTPDevice").order_by("-id").first()
    assert event is not None and event.purpose == "Zweiten Faktor neu eingerichtet"
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "zweiter Faktor" in mail.outbox[0].body and "Koordination" in mail.outbox[0].body
