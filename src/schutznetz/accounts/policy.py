"""Who may do what with an account."""

from __future__ import annotations

from django.http import HttpRequest
from django_otp import user_has_device


def may_enrol_second_factor(request: HttpRequest) -> bool:
    """A first device with the password; a new device only in a session verified with the current one."""
    user = request.user
    if not user.is_authenticated:
        return False
    verified: bool = user.is_verified()  # type: ignore[attr-defined]  # added by django_otp's OTPMiddleware
    return verified or not user_has_device(user)
