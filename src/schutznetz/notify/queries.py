"""Reads of the inbox: a user sees their own messages only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from schutznetz.notify.models import Notification

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser


def inbox_for(user: AbstractUser) -> QuerySet[Notification]:
    """The user's messages, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")
