"""Two-factor authentication is mandatory outside the demo; authenticated responses are not cached;
login attempts are throttled per client address."""

from __future__ import annotations

import time
from collections.abc import Callable

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control

SESSION_RENEWED_KEY = "renewed_at"
SESSION_RENEW_SECONDS = 60

# Paths a signed-in but not yet verified user may reach: set up TOTP, log out, static files.
_OPEN_PREFIXES = ("/account/", "/static/", "/healthz", "/api/")


def user_needs_second_factor(request: HttpRequest) -> bool:
    user = request.user
    if not (settings.TWO_FACTOR_REQUIRED and user.is_authenticated):
        return False
    return not user.is_verified()  # type: ignore[attr-defined]  # added by django_otp's OTPMiddleware


class IdleSessionMiddleware:
    """A session ends after ``SESSION_COOKIE_AGE`` without a request. Activity renews its expiry,
    at most once a minute: saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``)
    cost three queries on every page. So an idle session ends 29 to 30 minutes after the last
    request. Sessions of visitors who are not signed in are not created by this."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            # A session saved anyway (as on login) takes the time along at no cost.
            if session.modified or now - session.get(SESSION_RENEWED_KEY, 0) >= SESSION_RENEW_SECONDS:
                session[SESSION_RENEWED_KEY] = now
        return response


class RequireTwoFactorMiddleware:
    """Sends a password-only session to the TOTP set-up before any page is shown.

    The API checks the same rule in ``accounts.permissions.IsVerifiedUser``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if user_needs_second_factor(request) and not request.path.startswith(_OPEN_PREFIXES):
            return redirect(reverse("two_factor:setup"))
        return self.get_response(request)


# Features a page of Schutznetz never needs; a script injected into one cannot use them either.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)


class PrivateResponsesMiddleware:
    """No browser, proxy or shared cache keeps a page or API answer of a signed-in user (case pages,
    PDFs, lists): ``Cache-Control: no-store``. Every response says which browser features it needs
    (none: ``Permissions-Policy``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # After the view: the API authenticates tokens there (and sets ``request.user``).
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True, max_age=0)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class LoginThrottleMiddleware:
    """At most ``LOGIN_ATTEMPTS_PER_IP`` sign-in attempts per client address and quarter of an hour.

    django-axes locks a user name only for attempts from the same address, so that nobody can lock
    out a colleague by typing their name; this bounds how many names and passwords one address tries.
    """

    WINDOW = 15 * 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path in (reverse("accounts:login"), "/admin/login/"):
            key = f"login-attempts:{get_client_ip_address(request)}"
            cache.add(key, 0, timeout=self.WINDOW)
            try:
                attempts = cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=self.WINDOW)
                attempts = 1
            if attempts > settings.LOGIN_ATTEMPTS_PER_IP:
                return render(request, "accounts/throttled.html", status=429)
        return self.get_response(request)
