from __future__ import annotations

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "schutznetz.meetings"
    label = "meetings"
    verbose_name = "Netzwerktreffen"
