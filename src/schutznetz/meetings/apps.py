from __future__ import annotations

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "schutznetz.meetings"
    label = "meetings"
    verbose_name = "Netzwerktreffen"

    def ready(self) -> None:
        from schutznetz.meetings.documents import calendar_attachment
        from schutznetz.notify.services import register_attachment

        register_attachment("meeting", calendar_attachment)
