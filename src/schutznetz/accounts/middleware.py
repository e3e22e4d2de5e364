"""Two-factor authentication is mandatory outside the demo."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in but not yet verified user may reach: set up TOTP, log out, static files.
_OPEN_PREFIXES = ("/account/", "/static/", "/healthz", "/api/")


def user_needs_second_factor(request: HttpRequest) -> bool:
    user = request.user
    if not (settings.TWO_FACTOR_REQUIRED and user.is_authenticated):
        return False
    return not user.is_verified()  # type: ignore[attr-defined]  # added by django_otp's OTPMiddleware


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
