from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from schutznetz.cases.vault_rotation import vault_rotate, vault_status


class Command(BaseCommand):
    help = (
        "Identity vault: `vault status` counts the rows per key; `vault rotate` seals every row under a "
        "retired key (SCHUTZNETZ_VAULT_RETIRED_KEYS) anew under SCHUTZNETZ_VAULT_KEY, in batches; it can "
        "be interrupted and run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["status", "rotate"])
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (500)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rotate":
            if options["batch_size"] < 1:
                raise CommandError("--batch-size muss mindestens 1 sein.")
            sealed = vault_rotate(
                batch_size=options["batch_size"],
                progress=lambda kind, n: self.stdout.write(f"{n} Datensätze ({kind}) neu versiegelt"),
            )
            self.stdout.write(f"Schlüsselwechsel: {sealed} Datensätze neu versiegelt.")
        status = vault_status()
        for key_id, rows in sorted(status.rows_by_key.items()):
            role = (
                "aktuell"
                if key_id == status.current_key_id
                else "ausgemustert"
                if key_id in status.retired_key_ids
                else "NICHT KONFIGURIERT"
            )
            self.stdout.write(f"Schlüssel {key_id} ({role}): {rows} Datensätze")
        if status.unreadable:
            raise CommandError(
                f"{status.unreadable} Datensätze sind mit einem Schlüssel versiegelt, "
                "der nicht konfiguriert ist."
            )
        if status.pending:
            self.stdout.write(f"Noch {status.pending} Datensätze unter ausgemusterten Schlüsseln.")
        else:
            self.stdout.write(f"Alle Datensätze unter dem aktuellen Schlüssel {status.current_key_id}.")
