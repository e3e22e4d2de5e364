from __future__ import annotations

from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "schutznetz.network"
    label = "network"
    verbose_name = "Netzwerk"

    def ready(self) -> None:
        from schutznetz.network.models import Organisation
        from schutznetz.notify import services as delivery

        def webhook_secret_of(organisation_id: int) -> str:
            """The signing key of an organisation's crisis webhook (delivery knows no organisation)."""
            found = Organisation.objects.filter(pk=organisation_id).values_list(
                "alert_webhook_secret", flat=True
            )
            return found.first() or ""

        delivery.webhook_secret_of = webhook_secret_of
