"""Delivery: a message in each recipient's inbox, and the same by e-mail through the task queue.

This layer knows recipients, a title, a text and a link; never a case, a task or an organisation.
What to say, to whom and when is decided by the apps that own the matter (e.g. task reminders in
``cases.reminders``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol
from uuid import UUID

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from schutznetz.notify.models import Notification


class Recipient(Protocol):
    """Whom a message is for: a user account, as far as delivery needs to know it."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_active(self) -> bool: ...


MAIL_FOOTER = (
    "\n\n—\nDiese Nachricht enthält bewusst keine personenbezogenen Daten. "
    "Einzelheiten sehen Sie nach der Anmeldung in Schutznetz."
)


def notify(
    *,
    recipients: Iterable[Recipient],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    subject_id: UUID | None = None,
) -> list[Notification]:
    """Put a message in each active recipient's inbox and e-mail it once the transaction commits.

    ``subject_id``: the id of the record the message is about (a case), so that the message can be
    found and deleted with it.
    """
    created = Notification.objects.bulk_create(
        Notification(recipient_id=user.pk, kind=kind, title=title, body=body, url=url, subject_id=subject_id)
        for user in {u.pk: u for u in recipients if u.is_active}.values()
    )
    ids = [n.pk for n in created]
    transaction.on_commit(lambda: [send_notification_email.enqueue(pk) for pk in ids])
    return created


@task()
def send_notification_email(notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if notification.emailed_at or not notification.recipient.email:
        return
    link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
    send_mail(
        subject=f"[Schutznetz] {notification.title}",
        message=f"{notification.body}{link}{MAIL_FOOTER}",
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def mail_to_address(*, address: str, title: str, body: str = "", url: str = "") -> None:
    """E-mail an organisation's functional address (its duty mailbox) once the transaction commits.
    Like every message of this layer it carries a title, a text and a link, never personal data."""
    if address:
        transaction.on_commit(lambda: send_address_email.enqueue(address, title, body, url))


@task()
def send_address_email(address: str, title: str, body: str, url: str) -> None:
    link = f"\n\n{settings.SITE_URL}{url}" if url else ""
    send_mail(
        subject=f"[Schutznetz] {title}",
        message=f"{body}{link}{MAIL_FOOTER}",
        from_email=None,
        recipient_list=[address],
    )


def notifications_mark_read(*, recipient_id: int, ids: list[int]) -> int:
    """Mark the recipient's messages read (those shown on an inbox page)."""
    return Notification.objects.filter(recipient_id=recipient_id, pk__in=ids, read_at=None).update(
        read_at=timezone.now()
    )
