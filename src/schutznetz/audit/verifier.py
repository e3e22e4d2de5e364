"""The processes that verify stretches of a long chain in parallel (``audit.services.audit_verify``).

They are spawned, not forked (a fork would inherit the open connections and locks of the parent's
other threads), so this module imports nothing of Django at import time: it sets Django up first,
on the parent's settings and database.
"""

from __future__ import annotations

import os
from typing import Any

_failed: list[str] = []


def start(settings_module: str, database: dict[str, Any]) -> None:
    try:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
        import django
        from django.db import connections

        django.setup()
        connections["default"].settings_dict = database  # before it connects
    except Exception as error:  # raised from the first task: a failing initializer respawns forever
        _failed.append(repr(error))


def verify(args: tuple[int, int, dict[int, str]]) -> Any:
    if _failed:
        raise RuntimeError(f"The verifying process could not start: {_failed[0]}")
    from schutznetz.audit.services import verify_stretch

    return verify_stretch(*args)
