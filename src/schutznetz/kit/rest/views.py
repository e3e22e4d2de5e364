"""What every API endpoint shares: validated input, and file responses next to JSON errors."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer


def validated(
    serializer_class: type[serializers.Serializer], data: Any, *, partial: bool = False
) -> dict[str, Any]:
    """The validated input, or a 400 with field errors. Query strings are passed as plain dicts, so
    that ``?at=`` is an error, not "absent". ``partial`` (PATCH): only the fields sent, no defaults."""
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class FileRenderer(BaseRenderer):
    """Lets a client ask for a file; the file itself is a plain response, errors are JSON."""

    format = "file"
    charset = None

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> Any:
        return JSONRenderer().render(data)


class BinaryRenderer(FileRenderer):
    media_type = "application/octet-stream"
    format = "bin"


class CalendarRenderer(FileRenderer):
    media_type = "text/calendar"


class PdfRenderer(FileRenderer):
    media_type = "application/pdf"
