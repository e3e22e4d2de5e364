from __future__ import annotations

from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "schutznetz.outreach"
    label = "outreach"
    verbose_name = "Sprechstunden, Hilfeangebote und Vermittlungen"
