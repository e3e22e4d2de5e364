"""How the OpenAPI schema describes fields whose JSON Schema "format" would promise too much."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension

# "format: time" is RFC 3339's full-time, which demands a UTC offset; our times of day are local
# (a consultation hour "09:00" means 09:00 in Germany, summer or winter).
LOCAL_TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$"


class LocalTimeFieldExtension(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]  # registers by subclassing
    target_class = "rest_framework.fields.TimeField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": LOCAL_TIME_PATTERN,
            "description": "Ortszeit (Europe/Berlin) ohne UTC-Versatz, HH:MM oder HH:MM:SS",
            "example": "09:00:00",
        }
