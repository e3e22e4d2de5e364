"""Which user name a login attempt is for, as django-axes needs it to lock by account."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

# The two-factor login wizard prefixes its fields with the step name.
LOGIN_USERNAME_FIELD = "auth-username"


def username_from_request(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    if credentials and credentials.get("username"):
        return str(credentials["username"]).strip().lower()
    value = request.POST.get(LOGIN_USERNAME_FIELD) or request.POST.get("username")
    return value.strip().lower() if value else None
