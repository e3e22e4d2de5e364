from __future__ import annotations

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The shell's pages: the start page and the base template with the navigation."""

    name = "schutznetz.dashboard"
    label = "dashboard"
    verbose_name = "Startseite"
