"""Reads of user accounts."""

from __future__ import annotations

from django.http import Http404

from schutznetz.accounts.models import User


def user_get(pk: int) -> User:
    """A user account by id (a 404 for an unknown id)."""
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise Http404("Benutzerkonto nicht gefunden.")
    return user


def active_user_get(pk: int) -> User | None:
    """An active user account by id, or None."""
    return User.objects.filter(pk=pk, is_active=True).first()
