"""The audit trail: every read and write of personal data, in a chain of keyed MACs."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    READ = "read", "gelesen"
    CREATE = "create", "angelegt"
    UPDATE = "update", "geändert"
    SEARCH = "search", "gesucht"
    DISCLOSE = "disclose", "übermittelt"
    REFUSE = "refuse", "abgelehnt"


class AuditEvent(models.Model):
    """One access. Append-only: a trigger refuses UPDATE (and, on PostgreSQL, DELETE); TRUNCATE is
    left to the database privileges (docs/security.md, "The audit trail").

    An event is written with one INSERT in the transaction of the change it records, without a lock;
    after the commit the sealer (``audit.services.audit_seal``) gives it its place: ``seq`` counts
    without gaps; ``mac`` is an HMAC under the audit key ``key_id`` over the row's
    content and the previous row's MAC, so that an edited, deleted, reordered or forged row breaks
    the chain, and signed checkpoints outside the database witness its head
    (``schutznetz audit verify``). Rows of the first version have no key id and an unkeyed SHA-256.
    """

    seq = models.BigIntegerField(unique=True, null=True)  # empty until the sealer places it
    at = models.DateTimeField()
    # Indexed together with the id (Meta): the access log is read by person and by organisation,
    # newest first. No foreign-key constraint in the database: its check locked the person's and
    # the organisation's row (FOR KEY SHARE) at every event, so every audited request of one
    # person queued on one row, and cost the append a sixth of its rate (bench/scenarios/audit.py).
    # The MACs guard the rows; deleting a person or organisation with events is still refused
    # (PROTECT, by Django), and people are deactivated, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64)
    case_id = models.UUIDField(null=True)
    purpose = models.CharField(max_length=200)
    details = models.JSONField(default=dict)
    prev_mac = models.CharField(max_length=64, blank=True)
    mac = models.CharField(max_length=64, blank=True)
    key_id = models.CharField(max_length=16, blank=True)  # the audit key of the MAC ("" = unkeyed)

    class Meta:
        verbose_name = "Protokolleintrag"
        verbose_name_plural = "Protokolleinträge"
        indexes = [
            models.Index(fields=["case_id", "-id"], name="audit_case_id"),
            models.Index(fields=["organisation", "-id"], name="audit_organisation"),
            models.Index(fields=["actor", "-id"], name="audit_actor"),
            # The events waiting for the sealer: small, whatever the size of the trail.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq or '–'} {self.at:%d.%m.%Y %H:%M} {self.action} {self.object_type}"


class AlertKind(models.TextChoices):
    READ_RATE = "read_rate", "viele Fälle in kurzer Zeit geöffnet"
    HISTORY_READS = "history_reads", "abgegebenen Fall wiederholt gelesen"


class AccessAlert(models.Model):
    """Unusual access, raised to the data-protection officers of the organisation it was made for
    (``audit/alerts.py``); found when the events are sealed, so the request pays nothing for it."""

    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    at = models.DateTimeField()
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField()  # the cases read in the window, or the reads of handed-on ones
    limit = models.PositiveIntegerField()

    class Meta:
        verbose_name = "Zugriffsauffälligkeit"
        verbose_name_plural = "Zugriffsauffälligkeiten"
        indexes = [models.Index(fields=["organisation", "-at"], name="access_alert_org")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.count} > {self.limit})"

    @property
    def description(self) -> str:
        """What happened, in one sentence without the person's name."""
        if self.kind == AlertKind.HISTORY_READS:
            return (
                f"hat innerhalb eines Tages {self.count}-mal Fälle gelesen, die die Organisation "
                f"abgegeben hat (Grenze {self.limit})."
            )
        return f"hat innerhalb einer Stunde {self.count} Fälle geöffnet (Grenze {self.limit})."
