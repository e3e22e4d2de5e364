"""Reads of user accounts."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import Http404

from schutznetz.accounts.models import ApiToken, User


def user_get(pk: int) -> User:
    """A user account by id (a 404 for an unknown id)."""
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise Http404("Benutzerkonto nicht gefunden.")
    return user


def active_user_get(pk: int) -> User | None:
    """An active user account by id, or None."""
    return User.objects.filter(pk=pk, is_active=True).first()


def active_user_by_login(*, username: str, email: str) -> User | None:
    """The active account with this user name and e-mail address (both must match), or None."""
    if not username.strip() or not email.strip():
        return None
    return User.objects.filter(username=username.strip(), email__iexact=email.strip(), is_active=True).first()


def name_rows(users: QuerySet[User]) -> Iterator[tuple[int, str]]:
    """(id, display name) of each user, read as rows: for choice lists of many people."""
    for pk, *name in users.values_list("pk", *User.NAME_FIELDS):
        yield pk, User.name_of(*name)


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's API tokens, newest first (revoked and expired ones too, marked as such)."""
    return ApiToken.objects.filter(user=user).select_related("user").order_by("-created_at")


def api_token_of(user: User, pk: int) -> ApiToken:
    """One of the user's own tokens; any other id is a 404."""
    token = ApiToken.objects.filter(user=user, pk=pk).select_related("user").first()
    if token is None:
        raise Http404("API-Token nicht gefunden.")
    return token
