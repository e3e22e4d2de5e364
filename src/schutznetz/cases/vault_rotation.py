"""Rotation of the identity vault's key: every row sealed under a retired key is sealed anew.

The procedure (docs/security.md): generate a new key, set it as ``SCHUTZNETZ_VAULT_KEY`` and move the
old one to ``SCHUTZNETZ_VAULT_RETIRED_KEYS``, restart, run ``schutznetz vault rotate``; when
``schutznetz vault status`` counts no row under a retired key, remove the retired key. The rotation
works in batches, each in a transaction of its own with an audit event, so it can be interrupted and
started again; it runs beside normal work (rows locked by others are taken in a later batch).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Model

from schutznetz.audit.models import AuditAction
from schutznetz.audit.services import audit_record
from schutznetz.people.identity import CHILD, GUARDIAN
from schutznetz.people.models import Child, Guardian
from schutznetz.people.vault import get_vault

_SEALED: tuple[tuple[type[Model], str], ...] = ((Child, CHILD), (Guardian, GUARDIAN))


@dataclass(frozen=True)
class VaultStatus:
    current_key_id: str
    rows_by_key: dict[str, int]  # key id -> rows sealed under it, over children and guardians
    retired_key_ids: list[str]

    @property
    def pending(self) -> int:
        """Rows still sealed under a retired key."""
        return sum(n for key_id, n in self.rows_by_key.items() if key_id in self.retired_key_ids)

    @property
    def unreadable(self) -> int:
        """Rows sealed under a key that is not configured at all."""
        known = {self.current_key_id, *self.retired_key_ids}
        return sum(n for key_id, n in self.rows_by_key.items() if key_id not in known)


def vault_status() -> VaultStatus:
    vault = get_vault()
    rows: dict[str, int] = {}
    for model, _kind in _SEALED:
        for row in model._default_manager.values("key_id").annotate(n=Count("pk")).order_by():
            rows[row["key_id"]] = rows.get(row["key_id"], 0) + row["n"]
    return VaultStatus(vault.key_id, rows, vault.retired_key_ids)


def _audit(purpose: str, **details: object) -> None:
    audit_record(
        actor=None,
        organisation=None,
        action=AuditAction.UPDATE,
        object_type="Identitätstresor",
        object_id=get_vault().key_id,
        purpose=purpose,
        details=details,
    )


def _rotate_batch(model: type[Model], kind: str, batch_size: int) -> int:
    vault = get_vault()
    with transaction.atomic():
        rows = list(
            model._default_manager.select_for_update(skip_locked=True)
            .filter(key_id__in=vault.retired_key_ids)
            .order_by("pk")
            .only("pk", "key_id", "identity")[:batch_size]
        )
        if not rows:
            return 0
        for row in rows:
            record = vault.open(row.identity, key_id=row.key_id, kind=kind, row_id=row.pk)  # type: ignore[attr-defined]
            row.key_id, row.identity = vault.seal(record, kind=kind, row_id=row.pk)  # type: ignore[attr-defined]
        model._default_manager.bulk_update(rows, ["key_id", "identity"])
        _audit(
            "Schlüsselwechsel: Identitäten neu versiegelt",
            kind=kind,
            rows=len(rows),
            first=str(rows[0].pk),
            last=str(rows[-1].pk),
        )
    return len(rows)


def vault_rotate(
    *,
    batch_size: int = 500,
    max_batches: int | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> int:
    """Seal every row under a retired key anew under the current key; returns the rows sealed.

    ``max_batches`` stops early (the next call goes on where this one stopped).
    """
    vault = get_vault()
    status = vault_status()
    _audit(
        "Schlüsselwechsel begonnen",
        retired=vault.retired_key_ids,
        pending=status.pending,
        unreadable=status.unreadable,
    )
    sealed = batches = 0
    for model, kind in _SEALED:
        while max_batches is None or batches < max_batches:
            done = _rotate_batch(model, kind, batch_size)
            if not done:
                break
            sealed += done
            batches += 1
            if progress:
                progress(kind, done)
    pending = vault_status().pending
    _audit("Schlüsselwechsel " + ("unterbrochen" if pending else "beendet"), rows=sealed, pending=pending)
    return sealed
