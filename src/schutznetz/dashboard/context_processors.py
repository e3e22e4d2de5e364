from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from schutznetz.accounts.middleware import user_needs_second_factor


def schutznetz(request: HttpRequest) -> dict[str, Any]:
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "NETWORK_NAME": settings.NETWORK_NAME,
        "ACCOUNT_CONTACT": settings.ACCOUNT_CONTACT,
        # Until the second factor is set up, only the set-up and logging out are reachable.
        "needs_second_factor": hasattr(request, "user") and user_needs_second_factor(request),
    }
