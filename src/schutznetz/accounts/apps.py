from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "schutznetz.accounts"
    label = "accounts"
    verbose_name = "Benutzerkonten"

    def ready(self) -> None:
        from schutznetz.accounts import schema  # noqa: F401 - registers the token scheme
