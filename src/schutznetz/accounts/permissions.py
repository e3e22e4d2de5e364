from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from schutznetz.accounts.middleware import user_needs_second_factor
from schutznetz.accounts.models import ApiToken


class IsVerifiedUser(BasePermission):
    """Signed in, and with the second factor where it is required.

    A token is issued only to a user who signed in with the second factor, so it counts as verified.
    """

    message = "Anmeldung mit zweitem Faktor erforderlich."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if isinstance(request.auth, ApiToken):
            return True
        return not user_needs_second_factor(request._request)
