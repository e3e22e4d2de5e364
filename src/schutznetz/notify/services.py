"""Delivery: a message in each recipient's inbox, and the same by e-mail through the task queue.

This layer knows recipients, a title, a text and a link; never a case, a task or an organisation.
What to say, to whom and when is decided by the apps that own the matter (e.g. task reminders in
``cases.reminders``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol
from uuid import UUID, uuid4

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from schutznetz.notify.models import Alert, AlertChannel, AlertState, Notification


class Recipient(Protocol):
    """Whom a message is for: a user account, as far as delivery needs to know it."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_active(self) -> bool: ...


class AlertRecipient(Recipient, Protocol):
    """A person alerted on every channel: their mail address too."""

    @property
    def email(self) -> str: ...


MAIL_FOOTER = (
    "\n\n—\nDiese Nachricht enthält bewusst keine personenbezogenen Daten. "
    "Einzelheiten sehen Sie nach der Anmeldung in Schutznetz."
)


# The documents a mail may carry, by kind: (reference, recipient id) → (file name, content, MIME
# type), or None when the recipient may no longer have it. Apps above register theirs.
Attachment = tuple[str, bytes, str]
_ATTACHMENTS: dict[str, Callable[[str, int], Attachment | None]] = {}


def register_attachment(kind: str, make: Callable[[str, int], Attachment | None]) -> None:
    _ATTACHMENTS[kind] = make


def notify(
    *,
    recipients: Iterable[Recipient],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    subject_id: UUID | None = None,
    attachment: str = "",
) -> list[Notification]:
    """Put a message in each active recipient's inbox and e-mail it once the transaction commits.

    ``subject_id``: the id of the record the message is about (a case), so that the message can be
    found and deleted with it. ``attachment``: "kind:reference" of a registered document that the
    mail carries, made when it is sent (a meeting's current calendar entry).
    """
    people = {u.pk: u for u in recipients if u.is_active}
    created = Notification.objects.bulk_create(
        Notification(
            recipient_id=user.pk,
            kind=kind,
            title=title,
            body=body,
            url=url,
            subject_id=subject_id,
            attachment=attachment,
        )
        for user in people.values()
    )
    now = timezone.now()
    _mail_later(
        Alert(
            key=f"mail:{n.pk}",
            recipient_id=n.recipient_id,
            channel=AlertChannel.EMAIL,
            address=address,
            title=title,
            body=body,
            url=url,
            created_at=now,
            next_attempt_at=now,
            notification=n,
        )
        for n in created
        if (address := getattr(people[n.recipient_id], "email", ""))
    )
    return created


def _mail_later(rows: Iterable[Alert]) -> list[Alert]:
    """Every mail goes the alerts' way (``alert_deliver``): a row per mail (or SMS, webhook) with its
    state, handed to its channel after the commit, and retried with back-off until the channel
    accepts it — a mail server that is down loses nothing and, once back, gets each mail once."""
    created = Alert.objects.bulk_create(rows)
    ids = [a.pk for a in created if a.channel != AlertChannel.IN_APP]
    if ids:
        transaction.on_commit(lambda: [deliver_alert.enqueue(pk) for pk in ids])
    return created


@task()
def send_notification_email(notification_id: int) -> None:
    """Earlier versions queued each mail as this task; one still queued at an update is sent here.
    New mail goes through ``alert_deliver``."""
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if notification.emailed_at or not notification.recipient.email:
        return
    link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
    mail = EmailMessage(
        subject=f"[Schutznetz] {notification.title}",
        body=f"{notification.body}{link}{MAIL_FOOTER}",
        to=[notification.recipient.email],
    )
    document = _attachment(notification)
    if document is not None:
        mail.attach(*document)
    mail.send()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def _attachment(notification: Notification) -> Attachment | None:
    kind, _, reference = notification.attachment.partition(":")
    make = _ATTACHMENTS.get(kind)
    return make(reference, notification.recipient_id) if make and reference else None


def mail_to_address(*, address: str, title: str, body: str = "", url: str = "") -> None:
    """E-mail an organisation's functional address (its duty mailbox) once the transaction commits,
    retried until accepted like every mail. Like every message of this layer it carries a title, a
    text and a link, never personal data."""
    if address:
        now = timezone.now()
        _mail_later(
            [
                Alert(
                    key=f"mail:address:{uuid4()}",
                    recipient=None,
                    channel=AlertChannel.EMAIL,
                    address=address,
                    title=title,
                    body=body,
                    url=url,
                    created_at=now,
                    next_attempt_at=now,
                )
            ]
        )


@task()
def send_address_email(address: str, title: str, body: str, url: str) -> None:
    """Earlier versions queued each duty-mailbox mail as this task; one still queued is sent here."""
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


# Seconds before the next attempt after the first, second, … failed delivery; then the last, again
# and again until the channel accepts it.
ALERT_RETRY_SECONDS = (5, 15, 30, 60, 120, 300)


@dataclass(frozen=True)
class ChannelTarget:
    """A further channel for one alert: an SMS through a mail-to-SMS gateway (``address`` is the
    gateway's address for the number) or a signed HTTPS webhook (``address`` is the URL, ``owner``
    whoever configured it, whose signing key ``webhook_secret_of`` finds)."""

    channel: str
    address: str
    phone: str = ""
    owner: int | None = None


# Set by the app that keeps the webhooks' configuration: the signing key of a channel's owner.
webhook_secret_of: Callable[[int], str] = lambda owner: ""  # noqa: E731


def alert(
    *,
    recipients: Iterable[AlertRecipient],
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    subject_id: UUID | None = None,
    targets: Iterable[ChannelTarget] = (),
) -> list[Alert]:
    """Alert each active recipient on every channel: in the inbox at once (with the transaction) and
    by e-mail, handed to the mail server after the commit and retried until it accepts.

    ``key`` names the matter and the recipient's part in it (at most 100 characters). A recipient
    already alerted under the key on a channel is not alerted there again: the rows are the record
    of what was sent, one per person and channel.
    """
    now = timezone.now()
    people = {u.pk: u for u in recipients if u.is_active}
    done = set(
        Alert.objects.filter(key=key, recipient_id__in=list(people)).values_list("recipient_id", "channel")
    )
    fresh = [u for pk, u in people.items() if (pk, AlertChannel.IN_APP) not in done]
    notifications = Notification.objects.bulk_create(
        Notification(recipient_id=u.pk, kind="alert", title=title, body=body, url=url, subject_id=subject_id)
        for u in fresh
    )
    rows = [
        Alert(
            key=key,
            recipient_id=n.recipient_id,
            channel=AlertChannel.IN_APP,
            title=title,
            body=body,
            url=url,
            state=AlertState.ACCEPTED,
            attempts=1,
            created_at=now,
            accepted_at=now,
            notification=n,
        )
        for n in notifications
    ]
    rows += [
        Alert(
            key=key,
            recipient_id=pk,
            channel=AlertChannel.EMAIL,
            address=u.email,
            title=title,
            body=body,
            url=url,
            created_at=now,
            next_attempt_at=now,
        )
        for pk, u in people.items()
        if u.email and (pk, AlertChannel.EMAIL) not in done
    ]
    rows += [
        Alert(
            key=key,
            recipient_id=pk,
            channel=t.channel,
            address=t.address,
            phone=t.phone,
            channel_owner=t.owner,
            title=title,
            body=body,
            url=url,
            created_at=now,
            next_attempt_at=now,
        )
        for pk in people
        for t in targets
        if (pk, t.channel) not in done
    ]
    return _mail_later(rows)


def alert_deliver(alert_id: int) -> bool:
    """Hand one alert to its channel. The row stays locked while the mail server is asked, so two
    workers never send it both; it is marked accepted only when the server has accepted it, and a
    refusal or an unreachable server schedules the next attempt. True when it was delivered now."""
    with transaction.atomic():
        found = (
            Alert.objects.select_for_update(skip_locked=True)
            .filter(pk=alert_id)
            .exclude(state=AlertState.ACCEPTED)
            .first()
        )
        if found is None:
            return False
        try:
            SENDERS[found.channel](found)
        except (smtplib.SMTPException, OSError, ChannelRefused) as error:
            found.attempts += 1
            found.state = AlertState.FAILED
            found.last_error = f"{type(error).__name__}: {error}"[:300]
            wait = ALERT_RETRY_SECONDS[min(found.attempts, len(ALERT_RETRY_SECONDS)) - 1]
            found.next_attempt_at = timezone.now() + timedelta(seconds=wait)
            found.save(update_fields=["attempts", "state", "last_error", "next_attempt_at"])
            return False
        found.attempts += 1
        found.state = AlertState.ACCEPTED
        found.accepted_at = timezone.now()
        found.next_attempt_at = None
        found.save(update_fields=["attempts", "state", "accepted_at", "next_attempt_at"])
        if found.notification_id is not None and found.channel == AlertChannel.EMAIL:
            Notification.objects.filter(pk=found.notification_id).update(emailed_at=found.accepted_at)
        return True


class ChannelRefused(Exception):
    """The channel answered, but did not accept the alert (e.g. a webhook's status 500)."""


def _send_mail(found: Alert) -> None:
    link = f"\n\n{settings.SITE_URL}{found.url}" if found.url else ""
    mail = EmailMessage(
        subject=f"[Schutznetz] {found.title}",
        body=f"{found.body}{link}{MAIL_FOOTER}",
        to=[found.address],
        # The same id on every attempt: a receiver can tell a repeat after a crash from a new alert.
        headers={"Message-ID": f"<alert-{found.pk}@schutznetz>"},
    )
    notification = found.notification
    if notification is not None and notification.attachment:
        document = _attachment(notification)  # made now, as the recipient may have it now
        if document is not None:
            mail.attach(*document)
    mail.send(fail_silently=False)


def _send_sms(found: Alert) -> None:
    """A short mail to the gateway, which turns it into an SMS: the title and the link."""
    EmailMessage(
        subject=found.title[:60],
        body=f"{found.title} {settings.SITE_URL}{found.url}"[:300],
        to=[found.address],
        headers={"Message-ID": f"<alert-{found.pk}@schutznetz>"},
    ).send(fail_silently=False)


WEBHOOK_TIMEOUT_SECONDS = 5


def webhook_signature(secret: str, timestamp: str, payload: bytes) -> str:
    """``sha256=`` and the HMAC-SHA256 of timestamp, a dot and the payload under the owner's key."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + payload, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def _send_webhook(found: Alert) -> None:
    """POST the alert as JSON, signed; only a 2xx answer within the timeout counts as accepted. The
    alert's id travels along, so that a receiver can drop a repeat after a crash."""
    secret = webhook_secret_of(found.channel_owner) if found.channel_owner else ""
    if not secret:
        raise ChannelRefused("Kein Signaturschlüssel für diesen Webhook.")
    payload = json.dumps(
        {
            "alert": found.pk,
            "title": found.title,
            "text": found.body,
            "link": f"{settings.SITE_URL}{found.url}",
            "person": found.recipient.get_full_name() if found.recipient else "",
            "phone": found.phone,
            "created_at": found.created_at.isoformat(),
        }
    ).encode()
    timestamp = str(int(timezone.now().timestamp()))
    request = urllib.request.Request(  # noqa: S310 (https, or http to this machine: the model's validator)
        found.address,
        data=payload,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Schutznetz-Alert": str(found.pk),
            "X-Schutznetz-Timestamp": timestamp,
            "X-Schutznetz-Signature": webhook_signature(secret, timestamp, payload),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as answer:  # noqa: S310
            status = answer.status
    except urllib.error.HTTPError as error:
        raise ChannelRefused(f"HTTP {error.code}") from None
    if not 200 <= status < 300:
        raise ChannelRefused(f"HTTP {status}")


SENDERS: dict[str, Callable[[Alert], None]] = {
    AlertChannel.EMAIL: _send_mail,
    AlertChannel.SMS: _send_sms,
    AlertChannel.WEBHOOK: _send_webhook,
}


@task()
def deliver_alert(alert_id: int) -> None:
    alert_deliver(alert_id)


def deliver_due_alerts(*, limit: int = 500) -> int:
    """Deliver the alerts whose (next) attempt is due, oldest first; the number delivered."""
    due = list(
        Alert.objects.exclude(state=AlertState.ACCEPTED)
        .filter(next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(alert_deliver(pk) for pk in due)


# How often the worker looks for alerts to deliver between its other rounds: an alert raised in a
# request is handed to its channels within this time (the in-app alert is there at once).
ALERT_POLL_SECONDS = 0.25


def deliver_alerts_for(seconds: float, *, poll: float = ALERT_POLL_SECONDS) -> int:
    """Deliver due alerts again and again for ``seconds`` (the worker's wait between rounds); the
    number delivered."""
    end, delivered = time.monotonic() + seconds, 0
    while True:
        delivered += deliver_due_alerts()
        if time.monotonic() + poll > end:
            return delivered
        time.sleep(poll)
