"""Reads of the inbox: a user sees their own messages only."""

from __future__ import annotations

from django.db.models import QuerySet

from schutznetz.notify.models import Notification


def inbox_for(recipient_id: int) -> QuerySet[Notification]:
    """The recipient's messages, newest first."""
    return Notification.objects.filter(recipient_id=recipient_id).order_by("-created_at", "-pk")


def unread_count(recipient_id: int) -> int:
    return Notification.objects.filter(recipient_id=recipient_id, read_at=None).count()
