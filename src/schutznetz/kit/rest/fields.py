from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rest_framework import serializers

from schutznetz.kit.dates import MSG_DATE_RANGE, is_plausible

# Ids are 64-bit integers in the database: a larger number is refused as bad input, not passed on.
MAX_ID = 2**63 - 1


class StrictCharField(serializers.CharField):
    """Text only: a number is refused instead of being turned into text, as the schema says."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictRegexField(serializers.RegexField):
    """Text of a pattern, text only (a postal code sent as the number 44135 is refused)."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


MSG_YEAR = "Bitte ein Datum zwischen 2000 und 2099 angeben."


def plausible_year(value: date) -> None:
    """Any date of the project lies within ``kit.dates``' range (code ``date_range``)."""
    if not is_plausible(value):
        raise serializers.ValidationError(MSG_DATE_RANGE, code="date_range")


class DateField(serializers.DateField):
    default_validators = [plausible_year]


class DateTimeField(serializers.DateTimeField):
    default_validators = [plausible_year]

    def enforce_timezone(self, value: datetime) -> datetime:
        if not is_plausible(value):
            raise serializers.ValidationError(MSG_DATE_RANGE, code="date_range")
        return super().enforce_timezone(value)


def year_in_range(value: date) -> None:
    """Dates (and times) of appointments, plans and deadlines lie in this century.

    A rule the OpenAPI schema cannot express, so its code is ``date_range``, not ``invalid``.
    """
    if not 2000 <= value.year < 2100:
        raise serializers.ValidationError(MSG_YEAR, code="date_range")
