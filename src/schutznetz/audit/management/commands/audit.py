from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from schutznetz.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit trail: `audit verify` checks the hash chain and names the first bad row."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if not result.ok:
            raise CommandError(
                f"Audit-Protokoll verletzt bei Eintrag {result.first_bad_seq}: {result.reason} "
                f"({result.checked} Einträge davor in Ordnung)."
            )
        self.stdout.write(f"Audit-Protokoll in Ordnung: {result.checked} Einträge geprüft.")
