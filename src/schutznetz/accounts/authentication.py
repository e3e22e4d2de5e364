"""API authentication by personal token (``Authorization: Token <token>``, or ``Bearer <token>`` as
most HTTP clients and API tools send it)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.request import Request

from schutznetz.accounts.models import ApiToken, User

KEYWORD = "Token"
KEYWORDS = frozenset({"token", "bearer"})
MSG_INVALID = "Ungültiges, abgelaufenes oder widerrufenes API-Token."
# last_used_at is written at most this often per token: a request is no database write.
LAST_USE_RESOLUTION = timedelta(minutes=5)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def usable(token: ApiToken, now: Any) -> bool:
    idle_since = token.last_used_at or token.created_at
    return (
        token.revoked_at is None
        and token.expires_at > now
        and now - idle_since <= timedelta(days=settings.API_TOKEN_IDLE_DAYS)
        and token.user.is_active
    )


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(MSG_INVALID)
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(MSG_INVALID) from None
        token = ApiToken.objects.select_related("user").filter(digest=digest(key)).first()
        now = timezone.now()
        if token is None or not usable(token, now):
            raise exceptions.AuthenticationFailed(MSG_INVALID)
        if token.last_used_at is None or now - token.last_used_at > LAST_USE_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


MSG_CSRF = "CSRF-Prüfung fehlgeschlagen: bitte die Seite neu laden und erneut senden."


class GermanSessionAuthentication(SessionAuthentication):
    """The signed-in session of the browser (the Swagger UI, the pages' htmx): a failed CSRF check
    answers in German like every other error of the API."""

    def enforce_csrf(self, request: Request) -> None:
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(MSG_CSRF) from None
