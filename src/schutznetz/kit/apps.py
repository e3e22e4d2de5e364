from __future__ import annotations

from django.apps import AppConfig


class KitConfig(AppConfig):
    """Domain-free helpers: form rendering, KERN tags, pagination, error pages, the REST kit."""

    name = "schutznetz.kit"
    label = "kit"
    verbose_name = "Schutznetz-Werkzeuge"

    def ready(self) -> None:
        # Registers the schema extensions of the REST kit with drf-spectacular.
        from schutznetz.kit.rest import schema  # noqa: F401
