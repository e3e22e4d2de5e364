from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def schutznetz(request: HttpRequest) -> dict[str, Any]:
    return {"DEMO_MODE": settings.DEMO_MODE, "NETWORK_NAME": settings.NETWORK_NAME}
