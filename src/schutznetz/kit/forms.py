"""Form rendering in KERN UX markup for every form of the project (and of django-two-factor-auth)."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

from schutznetz.kit.dates import MSG_DATE_RANGE, is_plausible

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _escape(value: Any) -> str:
    """django.utils.html.conditional_escape without its lazy-string wrapper (the same output)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget: dict[str, Any]) -> SafeString:
    """The markup of Django's select.html and select_option.html, written in Python.

    A select of a big organisation's staff has hundreds of options; one template render per option
    made such pages cost milliseconds per option. The output is the templates' output.
    """
    parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_escape(option["value"])}"'
                f"{_attrs(option['attrs'])}>{_escape(option['label'])}</option>"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def choices_from_rows(field: forms.ModelChoiceField, rows: Iterable[tuple[Any, str]]) -> None:
    """Give a model choice field its options from ``(pk, label)`` rows of one ``values_list`` query.

    Rendering a ModelChoiceField builds a model instance per option; for the staff of a big youth
    office that was most of the case page's time. Submitted values are still checked against the
    field's queryset. Call this after setting the queryset (setting it resets the options).
    """
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.widget.choices = [*empty, *rows]


def label_choices(field: forms.ModelChoiceField, label: Callable[[Any], str]) -> None:
    """Label each option of ``field`` with ``label(instance)`` instead of ``str(instance)``."""
    # Django documents overriding label_from_instance; per field instance, it is an assignment.
    field.label_from_instance = label  # type: ignore[method-assign,assignment]  # documented override


class KernFormRenderer(TemplatesSetting):
    form_template_name = "forms/kern_form.html"
    field_template_name = "forms/kern_field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT_TEMPLATE and all(
            option["template_name"] == OPTION_TEMPLATE
            for _name, options, _index in context["widget"]["optgroups"]
            for option in options
        ):
            return render_select(context["widget"])
        return super().render(template_name, context, request)


def plausible_date(value: date) -> None:
    if not is_plausible(value):
        raise ValidationError(MSG_DATE_RANGE, code="date_range")


class DateField(forms.DateField):
    """A date within the years the project accepts (``kit.dates``)."""

    default_validators = [plausible_date]


class DateTimeField(forms.DateTimeField):
    """A date and time within the years the project accepts (``kit.dates``)."""

    default_validators = [plausible_date]

    def to_python(self, value: Any) -> Any:
        # A year outside the range is refused before the time zone is applied (which overflows at
        # the ends of the calendar).
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(MSG_DATE_RANGE, code="date_range") from None


class SearchPicker(forms.CheckboxSelectMultiple):
    """A search-as-you-type picker (``kit/picker.js``): typing in its search field loads results
    from ``search_url`` (an htmx fragment of ``data-pick-value`` buttons, see
    ``kit/_picker_results.html``); choosing one adds a ticked box to the list of chosen values,
    unticking removes it. The widget's choices are the chosen values with their labels."""

    template_name = "kit/widgets/search_picker.html"

    def __init__(
        self, *, search_url: str | Promise, search_label: str, attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(attrs)
        self.search_url = search_url
        self.search_label = search_label

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = str(self.search_url)
        context["widget"]["search_label"] = self.search_label
        return context


class PickedField(forms.MultipleChoiceField):
    """The values of a ``SearchPicker``. Any submitted value passes here; the form resolves them
    (its ``clean_<name>``) and sets the labels of those it knows as the choices (``pick_labels``)."""

    def valid_value(self, value: str) -> bool:
        return True

    def pick_labels(self, labels: Iterable[tuple[str, str]]) -> None:
        self.choices = list(labels)
