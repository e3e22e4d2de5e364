from __future__ import annotations

from typing import Any

from rest_framework import serializers

# Ids are 64-bit integers in the database: a larger number is refused as bad input, not passed on.
MAX_ID = 2**63 - 1


class StrictCharField(serializers.CharField):
    """Text only: a number is refused instead of being turned into text, as the schema says."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)  # type: ignore[no-any-return]
