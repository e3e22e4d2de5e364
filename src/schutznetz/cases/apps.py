from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "schutznetz.cases"
    label = "cases"
    verbose_name = "Fälle"
