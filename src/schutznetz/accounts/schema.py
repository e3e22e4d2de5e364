"""The token authentication in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # registers by subclassing
    target_class = "schutznetz.accounts.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Persönliches API-Token aus „Mein Konto“, gesendet als `Token <token>` oder `Bearer <token>`."
            ),
        }


class GermanSessionScheme(SessionScheme):  # type: ignore[no-untyped-call]  # registers by subclassing
    """The browser's session, as drf-spectacular describes Django REST framework's own."""

    target_class = "schutznetz.accounts.authentication.GermanSessionAuthentication"
