from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from schutznetz.audit import sealer
from schutznetz.audit.checkpoints import audit_checkpoint, checkpoint_path
from schutznetz.audit.services import SEAL_BATCH, audit_seal, audit_verify


class Command(BaseCommand):
    help = (
        "Audit trail: `audit verify` checks the chain of MACs and holds it against the signed "
        "checkpoints, naming the first position affected and how; `audit checkpoint` signs the "
        "chain's head into the checkpoint file now; `audit seal` seals the events waiting for their "
        "place in the chain (`--follow`: keep doing so, ten times a second, and sign a checkpoint "
        "once a minute)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "checkpoint", "seal"])
        parser.add_argument("--batch-size", type=int, default=SEAL_BATCH, help="events per transaction")
        parser.add_argument("--follow", action="store_true", help="keep sealing until stopped")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "seal":
            self._seal(options["batch_size"], follow=options["follow"])
            return
        if options["action"] == "checkpoint":
            checkpoint = audit_checkpoint(force=True)
            if checkpoint is None:
                self.stdout.write("Das Audit-Protokoll ist leer: kein Checkpoint geschrieben.")
            else:
                self.stdout.write(f"Checkpoint geschrieben: Eintrag {checkpoint.seq} ({checkpoint_path()}).")
            return
        result = audit_verify()
        if result.unsealed:
            waiting = result.unsealed
            self.stdout.write(f"{waiting} Einträge warten noch auf ihre Versiegelung (nicht geprüft).")
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

    def _seal(self, batch_size: int, *, follow: bool) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size muss mindestens 1 sein.")

        def report(done: int) -> None:
            self.stdout.write(f"Stapel: {done} Einträge versiegelt")
            self.stdout.flush()

        if not follow:
            sealed = audit_seal(batch_size=batch_size, progress=report)
            self.stdout.write(f"Audit-Protokoll: {sealed} Einträge versiegelt.")
            return
        self.stdout.write("Audit-Protokoll: versiegelt fortlaufend (Beenden mit Strg+C).")
        self.stdout.flush()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            sealer.follow(stop, batch_size)
        except KeyboardInterrupt:
            stop.set()
