"""Who seals the audit trail, and when (docs/architecture.md, "Audit trail").

A request writes its events with one INSERT each and its transaction waits for nothing more. They
are sealed into the chain by one sealer at a time (``audit_seal``: an advisory lock across all
processes), which also signs a checkpoint of the chain's head once a minute.

``SCHUTZNETZ_AUDIT_SEALING`` chooses who that is: ``process`` (what ``schutznetz serve`` sets: one
sealer process beside the web workers, ``audit seal --follow``, started and restarted by gunicorn's
master; it looks ten times a second), ``background`` (the default elsewhere, e.g. ``runserver``: a
daemon thread of each process, woken by its commits; it also looks on its own every few seconds, so
events that a crashed process left behind are sealed too), ``inline`` (the committing thread seals
at once: tests, where every commit is followed by a check of the chain) or ``worker`` (only
``schutznetz worker`` / ``audit seal --follow``). The worker seals as a last resort in every mode.
A sealer process is cheaper for the web workers than a thread in each: the thread's work competes
with the requests for their process's interpreter lock.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Protocol

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction

logger = logging.getLogger(__name__)

IDLE_SECONDS = 5.0  # the thread looks on its own this often
# After a wake-up the thread waits this long for more commits, so that it seals them in one batch
# rather than a transaction for each (the lag this adds is well within the second it has).
GATHER_SECONDS = 0.1
CHECKPOINT_SECONDS = 60.0  # and signs the chain's head at least this often
FOLLOW_SECONDS = 0.1  # the sealer process looks this often


def _mode() -> str:
    return str(getattr(settings, "SCHUTZNETZ_AUDIT_SEALING", "background"))


def seal_after_commit() -> None:
    """Once per transaction: when it has committed, have its events sealed."""
    mode = _mode()
    if mode in {"worker", "process"}:
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
        rounds = _Rounds()
        busy = False
        try:
            while not self._stop.is_set():
                # Another process's sealer was at work: look again soon, it may have missed ours.
                if self._wake.wait(GATHER_SECONDS if busy else IDLE_SECONDS):
                    self._stop.wait(GATHER_SECONDS)
                self._wake.clear()
                if self._stop.is_set():
                    break
                outcome = rounds.run()
                busy = outcome is not True
                if outcome is None:
                    time.sleep(1)
        finally:
            connections.close_all()


class _Rounds:
    """What each round of a sealer does: seal what waits, and sign a checkpoint once a minute."""

    def __init__(self, batch_size: int | None = None) -> None:
        self._batch_size = batch_size
        self._last_checkpoint = time.monotonic()

    def run(self) -> bool | None:
        """True when done, False when another sealer was at work, None when it failed (logged; the
        connections are closed, for fresh ones next round)."""
        from schutznetz.audit.checkpoints import audit_checkpoint
        from schutznetz.audit.services import SEAL_BATCH, seal_waiting

        try:
            sealed = seal_waiting(self._batch_size or SEAL_BATCH)
            if time.monotonic() - self._last_checkpoint >= CHECKPOINT_SECONDS:
                self._last_checkpoint = time.monotonic()
                audit_checkpoint()
        except Exception:
            # The database is away or the connection broke.
            logger.warning("Sealing the audit trail failed; it is retried.", exc_info=True)
            connections.close_all()
            return None
        return sealed is not None


_sealer = _Sealer()
wake = _sealer.wake
stop = _sealer.stop


class Stop(Protocol):
    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...


def follow(stop: Stop, batch_size: int | None = None) -> None:
    """The sealer process's loop (``audit seal --follow``): seal what waits, look again after a
    tenth of a second, sign a checkpoint once a minute; until ``stop`` is set."""
    rounds = _Rounds(batch_size)
    try:
        while not stop.is_set():
            stop.wait(FOLLOW_SECONDS if rounds.run() is not None else 1.0)
    finally:
        connections.close_all()
