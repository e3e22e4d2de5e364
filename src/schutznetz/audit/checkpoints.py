"""Signed checkpoints of the audit chain, kept outside the database.

A checkpoint is the chain's head — position, MAC, key id, time — signed with the Ed25519 key
``SCHUTZNETZ_AUDIT_SIGNING_KEY`` and appended as one JSON line to ``checkpoints.jsonl`` in
``SCHUTZNETZ_AUDIT_CHECKPOINT_DIR`` (put it on other storage than the database, or let a witness
keep copies). Optionally each checkpoint is also sent to a witness: mailed to
``SCHUTZNETZ_AUDIT_WITNESS_EMAIL`` (e.g. the data-protection officer) and/or posted to
``SCHUTZNETZ_AUDIT_WITNESS_URL``. The worker writes one each round when the chain has grown;
``schutznetz audit checkpoint`` writes one at once.

Whoever writes the database can delete the newest events or recompute every MAC only with the audit
key; even with it, a rewritten chain no longer matches the checkpoints written before.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.request
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from schutznetz.audit.keys import get_audit_keys
from schutznetz.audit.models import AuditEvent

logger = logging.getLogger(__name__)

FILE_NAME = "checkpoints.jsonl"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    mac: str
    key_id: str
    event_at: str
    written_at: str
    signer: str
    signature: str = ""

    def message(self) -> bytes:
        signed = {k: v for k, v in asdict(self).items() if k != "signature"}
        return json.dumps(signed, sort_keys=True, separators=(",", ":")).encode()

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":")) + "\n"


@dataclass(frozen=True)
class BadCheckpoint:
    line_no: int
    seq: int  # 0 when the line cannot be read at all
    reason: str


def checkpoint_path() -> Path:
    return Path(settings.SCHUTZNETZ_AUDIT_CHECKPOINT_DIR) / FILE_NAME


def _parse(line_no: int, line: str) -> Checkpoint | BadCheckpoint:
    try:
        data = json.loads(line)
        checkpoint = Checkpoint(**{f.name: data[f.name] for f in fields(Checkpoint)})
        if not isinstance(checkpoint.seq, int):
            raise TypeError("seq")
    except (ValueError, KeyError, TypeError):
        return BadCheckpoint(line_no, 0, f"Zeile {line_no} der Checkpoint-Datei ist unlesbar")
    keys = get_audit_keys()
    if checkpoint.signer != keys.signer_id or not keys.signature_valid(
        checkpoint.message(), checkpoint.signature
    ):
        reason = f"Checkpoint in Zeile {line_no}: Signatur ungültig oder fremder Schlüssel"
        return BadCheckpoint(line_no, checkpoint.seq, reason)
    return checkpoint


def read_checkpoints() -> tuple[list[Checkpoint], list[BadCheckpoint]]:
    path = checkpoint_path()
    good: list[Checkpoint] = []
    bad: list[BadCheckpoint] = []
    if not path.exists():
        return good, bad
    with path.open(encoding="utf-8") as lines:
        for line_no, line in enumerate(lines, start=1):
            if line.strip():
                parsed = _parse(line_no, line)
                (good if isinstance(parsed, Checkpoint) else bad).append(parsed)  # type: ignore[arg-type]
    return good, bad


def _last_line(path: Path) -> str:
    """The file's last line, read from the end (the file grows by a line a minute)."""
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        end = position = handle.tell()
        while position > 0:
            step = min(4096, position)
            position -= step
            handle.seek(position)
            block = handle.read(end - position)
            if block.rstrip(b"\n").count(b"\n"):
                break
        return block.rstrip(b"\n").rsplit(b"\n", 1)[-1].decode() if end else ""


def last_checkpoint() -> Checkpoint | None:
    path = checkpoint_path()
    if not path.exists():
        return None
    line = _last_line(path)
    parsed = _parse(0, line) if line.strip() else None
    return parsed if isinstance(parsed, Checkpoint) else None


def audit_checkpoint(*, force: bool = False) -> Checkpoint | None:
    """Sign the chain's head and append it to the checkpoint file (and tell the witness). Without
    ``force``, nothing is written while the head is the one of the last checkpoint."""
    sealed = AuditEvent.objects.filter(seq__isnull=False)
    head = sealed.order_by("-seq").only("seq", "mac", "key_id", "at").first()
    if head is None or head.seq is None:
        return None
    last = last_checkpoint()
    if not force and last is not None and last.seq == head.seq and last.mac == head.mac:
        return None
    keys = get_audit_keys()
    unsigned = Checkpoint(
        seq=head.seq,
        mac=head.mac,
        key_id=head.key_id,
        event_at=head.at.isoformat(),
        written_at=timezone.now().isoformat(),
        signer=keys.signer_id,
    )
    checkpoint = Checkpoint(**{**asdict(unsigned), "signature": keys.sign(unsigned.message())})
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(checkpoint.line())
        handle.flush()
        os.fsync(handle.fileno())
    _tell_witness(checkpoint)
    return checkpoint


def _tell_witness(checkpoint: Checkpoint) -> None:
    """Copies for a witness outside the system; a failure is logged, the file stays the record."""
    recipients = settings.SCHUTZNETZ_AUDIT_WITNESS_EMAIL
    if recipients:
        try:
            send_mail(
                f"Schutznetz: Audit-Checkpoint {checkpoint.seq}",
                "Signierter Stand des Zugriffsprotokolls (bitte aufbewahren; er belegt, dass bis "
                f"hierhin nichts gelöscht oder verändert wurde):\n\n{checkpoint.line()}\n"
                f"Öffentlicher Schlüssel (Ed25519): {get_audit_keys().public_key}\n",
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
        except Exception:
            logger.exception("The audit checkpoint %s could not be mailed to the witness.", checkpoint.seq)
    url = settings.SCHUTZNETZ_AUDIT_WITNESS_URL
    if url and not url.startswith("https://"):
        logger.error("SCHUTZNETZ_AUDIT_WITNESS_URL must be an https:// address; no checkpoint posted.")
    elif url:
        request = urllib.request.Request(  # noqa: S310 (https only, above)
            url, data=checkpoint.line().encode(), headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10):  # noqa: S310 (https only, above)
                pass
        except Exception:
            logger.exception("The audit checkpoint %s could not be posted to the witness.", checkpoint.seq)
