"""Bounds per user on endpoints that are worth abusing (searching children, probing free-text checks)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle


class ScopedThrottle(ScopedRateThrottle):
    """The view's ``throttle_scope`` rate (``DEFAULT_THROTTLE_RATES``), for every method."""


class WriteScopedThrottle(ScopedRateThrottle):
    """The view's ``throttle_scope`` rate for writes only; reading a list stays unbounded."""

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
