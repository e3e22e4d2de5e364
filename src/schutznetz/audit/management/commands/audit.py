from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from schutznetz.audit.checkpoints import audit_checkpoint, checkpoint_path
from schutznetz.audit.services import audit_verify


class Command(BaseCommand):
    help = (
        "Audit trail: `audit verify` checks the chain of MACs and holds it against the signed "
        "checkpoints, naming the first position affected and how; `audit checkpoint` signs the "
        "chain's head into the checkpoint file now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "checkpoint"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "checkpoint":
            checkpoint = audit_checkpoint(force=True)
            if checkpoint is None:
                self.stdout.write("Das Audit-Protokoll ist leer: kein Checkpoint geschrieben.")
            else:
                self.stdout.write(f"Checkpoint geschrieben: Eintrag {checkpoint.seq} ({checkpoint_path()}).")
            return
        result = audit_verify()
        if not result.ok:
            raise CommandError(
                f"Audit-Protokoll verletzt bei Eintrag {result.first_bad_seq} ({result.kind}): "
                f"{result.reason} ({result.checked} Einträge davor in Ordnung)."
            )
        self.stdout.write(f"Audit-Protokoll in Ordnung: {result.checked} Einträge geprüft.")
        if result.last_checkpoint is None:
            self.stdout.write(
                "Warnung: kein signierter Checkpoint gefunden; ob die neuesten Einträge gelöscht "
                f"wurden, ist so nicht prüfbar ({checkpoint_path()})."
            )
        else:
            self.stdout.write(
                f"Abgeglichen mit {result.checkpoints} signierten Checkpoints, der letzte bei Eintrag "
                f"{result.last_checkpoint.seq} vom {result.last_checkpoint.written_at}."
            )
