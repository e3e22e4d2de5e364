from __future__ import annotations

from datetime import date
from typing import Any

from rest_framework import serializers

# Ids are 64-bit integers in the database: a larger number is refused as bad input, not passed on.
MAX_ID = 2**63 - 1


class StrictCharField(serializers.CharField):
    """Text only: a number is refused instead of being turned into text, as the schema says."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


MSG_YEAR = "Bitte ein Datum zwischen 2000 und 2099 angeben."


def year_in_range(value: date) -> None:
    """Dates (and times) of appointments, plans and deadlines lie in this century.

    A rule the OpenAPI schema cannot express, so its code is ``date_range``, not ``invalid``.
    """
    if not 2000 <= value.year < 2100:
        raise serializers.ValidationError(MSG_YEAR, code="date_range")
