"""The audit trail: every read and write of personal data, in a hash chain."""

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
    """One access. Append-only: on PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE.

    ``seq`` counts without gaps and ``hash`` covers the row's content and the previous row's hash,
    so that an edited, deleted or reordered row breaks the chain (``schutznetz audit verify``).
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64)
    case_id = models.UUIDField(null=True, db_index=True)
    purpose = models.CharField(max_length=200)
    details = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "Protokolleintrag"
        verbose_name_plural = "Protokolleinträge"
        indexes = [models.Index(fields=["case_id", "-seq"], name="audit_case_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.at:%d.%m.%Y %H:%M} {self.action} {self.object_type}"
