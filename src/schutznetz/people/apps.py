from __future__ import annotations

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "schutznetz.people"
    label = "people"
    verbose_name = "Personen"
