from __future__ import annotations

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "schutznetz.notify"
    label = "notify"
    verbose_name = "Benachrichtigungen"
