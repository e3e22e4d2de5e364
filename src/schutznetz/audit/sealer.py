"""Who seals the audit trail, and when (docs/architecture.md, "Audit trail").

A request writes its events with one INSERT each and, after its commit, only wakes this process's
sealer: a daemon thread that seals what is waiting (``audit_seal``: one sealer at a time across all
processes, by an advisory lock) and signs a checkpoint of the chain's head once a minute. The
request's own transaction and response wait for nothing. The thread is started by the first commit
in each process (after gunicorn has forked), and also looks on its own every few seconds, so events
that a crashed process left behind are sealed too; the worker seals as a last resort.

``SCHUTZNETZ_AUDIT_SEALING`` chooses: ``background`` (the default, as above), ``inline`` (the
committing thread seals at once: tests, where every commit is followed by a check of the chain) or
``worker`` (only ``schutznetz worker`` / ``audit seal --follow`` seal).
"""

from __future__ import annotations

import logging
import os
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction

logger = logging.getLogger(__name__)

IDLE_SECONDS = 5.0  # the thread looks on its own this often
# After a wake-up the thread waits this long for more commits, so that it seals them in one batch
# rather than a transaction for each (the lag this adds is well within the second it has).
GATHER_SECONDS = 0.1
CHECKPOINT_SECONDS = 60.0  # and signs the chain's head at least this often


def _mode() -> str:
    return str(getattr(settings, "SCHUTZNETZ_AUDIT_SEALING", "background"))


def seal_after_commit() -> None:
    """Once per transaction: when it has committed, have its events sealed."""
    mode = _mode()
    if mode == "worker":
        return
    hook = _seal_now if mode == "inline" else wake
    pending = getattr(connection, "run_on_commit", [])
    if not any(entry[1] is hook for entry in pending):
        transaction.on_commit(hook)


def _seal_now() -> None:
    from schutznetz.audit.services import audit_seal

    try:
        audit_seal()
    except DatabaseError:
        # Another process seals (SQLite has no advisory lock), or the database is away: the next
        # commit or the worker seals what is left.
        logger.warning("Sealing the audit trail failed; it is retried.", exc_info=True)


class _Sealer:
    def __init__(self) -> None:
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def wake(self) -> None:
        with self._guard:
            # After a fork the parent's thread is gone: the child starts its own.
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._stop.clear()
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="audit-sealer", daemon=True)
                self._thread.start()
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Let the thread finish its batch, close its connection and end (benchmarks, shutdown)."""
        with self._guard:
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive() and self._pid == os.getpid():
            self._stop.set()
            self._wake.set()
            thread.join(timeout)

    def _run(self) -> None:
        from schutznetz.audit.checkpoints import audit_checkpoint
        from schutznetz.audit.services import seal_waiting

        last_checkpoint = time.monotonic()
        busy = False
        try:
            while not self._stop.is_set():
                # Another process's sealer was at work: look again soon, it may have missed ours.
                if self._wake.wait(GATHER_SECONDS if busy else IDLE_SECONDS):
                    self._stop.wait(GATHER_SECONDS)
                self._wake.clear()
                if self._stop.is_set():
                    break
                try:
                    busy = seal_waiting() is None
                    if time.monotonic() - last_checkpoint >= CHECKPOINT_SECONDS:
                        last_checkpoint = time.monotonic()
                        audit_checkpoint()
                except Exception:
                    # The database is away or the connection broke: a fresh one on the next round.
                    logger.warning("Sealing the audit trail failed; it is retried.", exc_info=True)
                    connections.close_all()
                    busy = True
                    time.sleep(1)
        finally:
            connections.close_all()


_sealer = _Sealer()
wake = _sealer.wake
stop = _sealer.stop
