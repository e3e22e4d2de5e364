"""Every text field of the API's input serializers takes text only: a number or a boolean is refused
with a 400 as the schema (``type: string``) says, instead of being stored as "5.93e+16".

The fields are found by walking the project's modules (as for the date fields), not listed by hand.
"""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework import serializers

from tests.kit.test_date_fields import _project_classes


def _text_fields() -> list[tuple[str, serializers.Field]]:
    found = []
    for cls in _project_classes():
        if (
            cls.__name__.endswith("Output")
            or not issubclass(cls, serializers.BaseSerializer)
            or issubclass(cls, serializers.ListSerializer)
        ):
            continue
        try:
            fields = cls().fields  # type: ignore[call-arg]
        except Exception:  # a serializer that needs arguments to build its fields
            fields = getattr(cls, "_declared_fields", {})
        for name, field in fields.items():
            if isinstance(field, serializers.ListField):
                field = field.child
            if isinstance(field, serializers.CharField) and not field.read_only:
                found.append((f"{cls.__module__}.{cls.__name__}.{name}", field))
    return found


TEXT_FIELDS = _text_fields()


def test_the_walk_finds_the_fields() -> None:
    assert len(TEXT_FIELDS) >= 40


@pytest.mark.parametrize("value", [44135, 5.9e16, True])
@pytest.mark.parametrize(("name", "field"), TEXT_FIELDS, ids=[name for name, _ in TEXT_FIELDS])
def test_a_text_field_refuses_what_is_not_text(name: str, field: serializers.Field, value: Any) -> None:
    with pytest.raises(serializers.ValidationError):
        field.run_validation(value)
