"""Service errors become API errors: ValidationError -> 400 with field errors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import ParseError, UnsupportedMediaType, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from schutznetz.kit.signals import service_refused

# DRF's own words for a body it cannot read are English ("JSON parse error - Expecting value: line 1
# column 1"); the API answers in German and names no parser internals.
MSG_PARSE = "Der Inhalt der Anfrage ist kein gültiges JSON."
MSG_MEDIA_TYPE = "Die Schnittstelle nimmt nur JSON an (Content-Type: application/json)."


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ParseError):
        exc = ParseError(MSG_PARSE)
    elif isinstance(exc, UnsupportedMediaType):
        exc = UnsupportedMediaType("", detail=MSG_MEDIA_TYPE)
    if isinstance(exc, DjangoValidationError):
        service_refused.send(sender=exception_handler, request=context.get("request"), error=exc)
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = ValidationError(detail)
    return drf_exception_handler(exc, context)


class ErrorOutput(serializers.Serializer):
    """An error: ``detail`` for a general one, or field names mapped to lists of messages."""

    detail = serializers.CharField(required=False)


ERROR_RESPONSES = {
    400: ErrorOutput,
    401: ErrorOutput,
    403: ErrorOutput,
    404: ErrorOutput,
    # Searching children and free-text checks are bounded per user (kit.rest.throttling).
    429: ErrorOutput,
}
