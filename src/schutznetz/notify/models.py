from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """An inbox message; e-mailed by the worker. Says no more about a child than the pseudonym."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    # What the message is about (e.g. a case), so that it can be found and deleted with it.
    subject_id = models.UUIDField(null=True, blank=True)
    # A document the mail carries, made when it is sent ("meeting:12": the meeting's calendar entry;
    # see ``notify.services.register_attachment``).
    attachment = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Benachrichtigung"
        verbose_name_plural = "Benachrichtigungen"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.title


class AlertChannel(models.TextChoices):
    IN_APP = "in_app", "In Schutznetz"
    EMAIL = "email", "E-Mail"
    SMS = "sms", "SMS (Gateway)"
    WEBHOOK = "webhook", "Webhook"


class AlertState(models.TextChoices):
    PENDING = "pending", "wird zugestellt"
    ACCEPTED = "accepted", "zugestellt"
    FAILED = "failed", "Zustellung gescheitert, neuer Versuch folgt"


class Alert(models.Model):
    """One alert to one person on one channel, with its state: what an urgent matter (a crisis)
    was told to whom, how, and whether the channel accepted it. ``key`` names the matter and the
    person's part in it; a key, person and channel make one row, so nothing is sent twice. Every other
    mail is a row here too ("mail:…"), so that all mail is retried until accepted."""

    key = models.CharField(max_length=100)
    # None for a mail to an organisation's functional address (its duty mailbox).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=20, choices=AlertChannel.choices)
    address = models.CharField(max_length=300, blank=True)  # where the channel delivers (mail address, URL)
    phone = models.CharField(max_length=40, blank=True)  # the number a pager or an SMS reaches
    # Who configured the channel (an organisation's id), to find the webhook's signing key.
    channel_owner = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=AlertState.choices, default=AlertState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)  # set only on the channel's acceptance
    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Alarmierung"
        verbose_name_plural = "Alarmierungen"
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient", "channel"], name="alert_once_per_channel"),
            models.CheckConstraint(
                condition=models.Q(state="accepted", accepted_at__isnull=False) | ~models.Q(state="accepted"),
                name="alert_accepted_when_accepted",
            ),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="alert_due", condition=~models.Q(state="accepted")),
            models.Index(fields=["key"], name="alert_key"),
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.recipient_id} ({self.channel})"
