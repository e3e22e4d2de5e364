"""Every date and datetime field of the project, in forms and in API serializers, refuses a date no
person or appointment can have (the year 1, the year 9999) with a German message, so that no such
value reaches a service (where date arithmetic would overflow into a server error).

The fields are found by walking the project's modules, not listed by hand: a new form or serializer
is checked as soon as it exists.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers

import schutznetz

EXTREMES = {
    "date": ["0001-01-01", "9999-12-31"],
    "datetime": ["0001-01-01T00:00", "9999-12-31T23:59"],
}
FORM_DATETIME = ["0001-01-01 00:00", "9999-12-31 23:59"]


def _project_classes() -> Iterator[type]:
    for module_info in pkgutil.walk_packages(schutznetz.__path__, "schutznetz."):
        if ".migrations" in module_info.name or module_info.name.endswith(("wsgi", "cli", "demo")):
            continue
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                yield cls


def _form_fields() -> list[tuple[str, forms.Field]]:
    found = []
    for cls in _project_classes():
        if issubclass(cls, forms.BaseForm):
            for name, field in cls.base_fields.items():  # type: ignore[attr-defined]
                if isinstance(field, forms.DateField | forms.DateTimeField):
                    found.append((f"{cls.__module__}.{cls.__name__}.{name}", field))
    return found


def _serializer_fields() -> list[tuple[str, serializers.Field]]:
    found = []
    for cls in _project_classes():
        # Output serializers only render what the services wrote; every other one reads input.
        is_input = not cls.__name__.endswith("Output")
        if (
            is_input
            and issubclass(cls, serializers.BaseSerializer)
            and not issubclass(cls, serializers.ListSerializer)
        ):
            try:
                fields = cls().fields  # type: ignore[call-arg]
            except Exception:  # a serializer that needs arguments to build its fields
                fields = getattr(cls, "_declared_fields", {})
            for name, field in fields.items():
                if (
                    isinstance(field, serializers.DateField | serializers.DateTimeField)
                    and not field.read_only
                ):
                    found.append((f"{cls.__module__}.{cls.__name__}.{name}", field))
    return found


FORM_FIELDS = _form_fields()
SERIALIZER_FIELDS = _serializer_fields()


def test_the_walk_finds_the_fields() -> None:
    assert len(FORM_FIELDS) >= 15
    assert len(SERIALIZER_FIELDS) >= 10


@pytest.mark.parametrize(("name", "field"), FORM_FIELDS, ids=[n for n, _ in FORM_FIELDS])
def test_form_fields_refuse_impossible_dates(name: str, field: forms.Field) -> None:
    values = FORM_DATETIME if isinstance(field, forms.DateTimeField) else EXTREMES["date"]
    for value in values:
        with pytest.raises(ValidationError) as error:
            field.clean(value)
        message = " ".join(error.value.messages)
        assert "datum" in message.lower() or "gültig" in message, (name, value, message)


@pytest.mark.parametrize(("name", "field"), SERIALIZER_FIELDS, ids=[n for n, _ in SERIALIZER_FIELDS])
def test_serializer_fields_refuse_impossible_dates(name: str, field: Any) -> None:
    kind = "datetime" if isinstance(field, serializers.DateTimeField) else "date"
    for value in EXTREMES[kind]:
        with pytest.raises(serializers.ValidationError) as error:
            field.run_validation(value)
        message = str(error.value.detail)
        assert "datum" in message.lower() or "zeit" in message.lower(), (name, value, message)
