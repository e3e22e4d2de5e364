"""Typed requests. Views behind ``login_required`` (and API views behind ``IsVerifiedUser``) are
called with a signed-in, active ``User``; annotating them with these types says so to mypy.
They add nothing at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from rest_framework.request import Request

from schutznetz.accounts.models import User

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails


class AuthenticatedHttpRequest(HttpRequest):
    """A request of a signed-in user, with django-htmx's ``request.htmx``."""

    user: User
    htmx: HtmxDetails


if TYPE_CHECKING:

    class AuthenticatedRequest(Request):
        """A REST request that passed ``IsVerifiedUser``."""

        @property
        def user(self) -> User: ...

        @user.setter
        def user(self, value: User) -> None: ...

else:
    AuthenticatedRequest = Request
