"""Signals the kit sends for the apps above it (the kit imports none of them)."""

from __future__ import annotations

from django.dispatch import Signal

# A service refused a request with a ValidationError, after its transaction was rolled back; whatever
# must stay on record of the refusal is written by a receiver (kwargs: ``request``, ``error``).
service_refused = Signal()
