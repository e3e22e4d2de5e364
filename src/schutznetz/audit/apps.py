from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "schutznetz.audit"
    label = "audit"
    verbose_name = "Protokoll"

    def ready(self) -> None:
        from schutznetz.audit.services import unsealed_since
        from schutznetz.kit import health

        def unsealed() -> str | None:
            waiting = unsealed_since(60)
            return f"{waiting} Protokolleinträge seit über einer Minute nicht versiegelt" if waiting else None

        health.register("audit", unsealed)
