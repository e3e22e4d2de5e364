"""Settings of the production server (``schutznetz serve``), read by gunicorn at start."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from typing import Any

import gunicorn
import gunicorn.http.wsgi

# The Server header names no software to whoever scans for servers with known flaws.
gunicorn.SERVER = ""
gunicorn.http.wsgi.SERVER = ""  # bound at import in gunicorn.http.wsgi


logger = logging.getLogger("gunicorn.error")


class _Sealer:
    """The audit trail's sealer process beside the web workers (``SCHUTZNETZ_AUDIT_SEALING=process``,
    which ``schutznetz serve`` sets): started when the server is ready, started again when it ends,
    stopped with the server. The master holds no database connection (its workers are forked
    from it); the sealer is a process of its own."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._child: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        threading.Thread(target=self._run, name="audit-sealer-supervisor", daemon=True).start()

    def _run(self) -> None:
        command = [sys.executable, "-m", "schutznetz.cli", "audit", "seal", "--follow"]
        while True:
            with self._lock:
                if self._stop.is_set():
                    return
                self._child = subprocess.Popen(command)  # noqa: S603 (our own command)
            code = self._child.wait()
            if self._stop.wait(1.0):
                return
            logger.warning("The audit sealer ended (exit code %s); starting it again.", code)

    def stop(self) -> None:
        with self._lock:
            self._stop.set()
            child = self._child
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


_sealer = _Sealer()


def when_ready(server: Any) -> None:
    if os.environ.get("SCHUTZNETZ_AUDIT_SEALING") == "process":
        _sealer.start()


def on_exit(server: Any) -> None:
    _sealer.stop()
