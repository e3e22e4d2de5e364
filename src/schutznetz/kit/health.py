"""Checks of the health endpoint beyond the database: apps register theirs at start-up.

A check returns an alarm text, or None when all is well. An alarm does not make the endpoint fail
(the instance still serves), it sets ``"status": "alarm"`` for the monitoring to act on.
"""

from __future__ import annotations

from collections.abc import Callable

HealthCheck = Callable[[], str | None]

_checks: dict[str, HealthCheck] = {}


def register(name: str, check: HealthCheck) -> None:
    _checks[name] = check


def alarms() -> dict[str, str]:
    found = {}
    for name, check in _checks.items():
        alarm = check()
        if alarm:
            found[name] = alarm
    return found
