from __future__ import annotations

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "schutznetz.people"
    label = "people"
    verbose_name = "Personen"

    def ready(self) -> None:
        from schutznetz.kit.signals import service_refused
        from schutznetz.people.receivers import audit_refusal

        service_refused.connect(audit_refusal, dispatch_uid="people.audit_refusal")
