"""Issue 39, item 20: the served OpenAPI document is valid under openapi-spec-validator — stricter
than drf-spectacular's own check (a default outside its field's enum or pattern is refused) — and its
operations are described in German, as the API's users read them."""

from __future__ import annotations

import json
import re
from typing import Any

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from openapi_spec_validator import validate

# Words that only an English description has.
ENGLISH = re.compile(r"\b(the|and|with|which|returns?|list of|creates?|of the|for|my)\b")


def _schema() -> dict[str, Any]:
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


def _fields(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _fields(value)
    elif isinstance(node, list):
        for value in node:
            yield from _fields(value)


def test_the_schema_is_valid_openapi() -> None:
    validate(_schema())


def test_no_default_lies_outside_its_enum_or_pattern() -> None:
    problems = []
    for field in _fields(_schema()):
        if "default" not in field or field["default"] is None:
            continue
        if "enum" in field and field["default"] not in field["enum"]:
            problems.append(f"{field.get('description', field)}: default {field['default']!r} not in enum")
        pattern = field.get("pattern")
        if pattern and isinstance(field["default"], str) and not re.search(pattern, field["default"]):
            problems.append(f"{field}: default {field['default']!r} does not match its pattern")
    assert not problems, problems


def test_every_operation_is_described_in_german() -> None:
    english = []
    for path, operations in _schema()["paths"].items():
        for method, operation in operations.items():
            text = f"{operation.get('summary', '')} {operation.get('description', '')}"
            if not text.strip() or ENGLISH.search(text):
                english.append(f"{method.upper()} {path}: {text.strip()[:80]!r}")
    assert not english, f"{len(english)} operations:\n" + "\n".join(english)
