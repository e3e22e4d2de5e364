"""Writes to user accounts."""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from schutznetz.accounts.models import User


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Block all further sign-ins and API use. Accounts are never deleted."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    Token.objects.filter(user=user).delete()
    return user


@transaction.atomic
def api_token_rotate(*, user: User) -> Token:
    """Replace the user's API token; the old one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)
