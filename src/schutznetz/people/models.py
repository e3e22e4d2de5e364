"""The identity vault: children and their custodial parents, encrypted at rest.

Cases and findings refer to a child by its pseudonym; the identity record is decrypted only for
users whose participation in a case allows it (``cases.policy``).
"""

from __future__ import annotations

import secrets
import uuid

from django.db import models

# No 0/O/1/I: pseudonyms are read out on the phone.
_PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_pseudonym() -> str:
    """Random, not derived from identity: 'K-7F3Q-9XKD'."""
    chars = "".join(secrets.choice(_PSEUDONYM_ALPHABET) for _ in range(8))
    return f"K-{chars[:4]}-{chars[4:]}"


class Sex(models.TextChoices):
    """As in the birth register (Destatis §8a statistics, part A)."""

    FEMALE = "female", "weiblich"
    MALE = "male", "männlich"
    DIVERSE = "diverse", "divers"
    NONE = "none", "ohne Angabe"


class Child(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pseudonym = models.CharField(max_length=12, unique=True, default=new_pseudonym, editable=False)
    identity = models.TextField(editable=False)  # the identity record (JSON), sealed by the vault
    key_id = models.CharField(max_length=16, db_index=True, editable=False)  # the key that sealed it
    exact_key = models.CharField(max_length=64, db_index=True, editable=False)
    fuzzy_family_month = models.CharField(max_length=64, db_index=True, editable=False)
    fuzzy_names = models.CharField(max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # What a list row reads of the child (``.only()``): enough to show the name to those who know
    # the child (the sealed identity and its key) and the pseudonym to everyone else.
    ROW_FIELDS = ("id", "pseudonym", "identity", "key_id")

    class Meta:
        verbose_name = "Kind"
        verbose_name_plural = "Kinder"

    def __str__(self) -> str:
        return self.pseudonym


class GuardianRelation(models.TextChoices):
    CUSTODIAL_PARENT = "custodial_parent", "Personensorgeberechtigte Person"
    LEGAL_REPRESENTATIVE = "legal_representative", "Gesetzliche Vertretung (Vormund)"


class Guardian(models.Model):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="guardians")
    relation = models.CharField(max_length=30, choices=GuardianRelation.choices)
    identity = models.TextField(editable=False)  # name, phone, address, sealed by the vault
    key_id = models.CharField(max_length=16, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Personensorgeberechtigte Person"
        verbose_name_plural = "Personensorgeberechtigte"

    def __str__(self) -> str:
        return f"{self.get_relation_display()} ({self.child.pseudonym})"
