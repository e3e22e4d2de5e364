"""Form rendering in KERN UX markup for every form of the project (and of django-two-factor-auth)."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

from schutznetz.kit.dates import MSG_DATE_RANGE, is_plausible

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
# Django's widget templates that are its input.html and nothing else.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "checkbox", "color", "date", "datetime", "email", "hidden", "input", "number", "password",
        "search", "tel", "text", "time", "url",
    )
)  # fmt: skip


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


def render_input(widget: dict[str, Any]) -> SafeString:
    """The markup of Django's input.html (and attrs.html), written in Python."""
    value = "" if widget["value"] is None else f' value="{_escape(widget["value"])}"'
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'])}>"
    )


def render_textarea(widget: dict[str, Any]) -> SafeString:
    """The markup of Django's textarea.html, written in Python."""
    value = _escape(widget["value"]) if widget["value"] else ""
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<textarea name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    )


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
    """KERN UX markup for fields and widgets. The single-value fields and their widgets are written
    in Python (``render_field_group``, ``render_input``, ...): a page's forms rendered through one
    template per field and one per widget cost more than the rest of the page. Fields with a list of
    choices (radio buttons, checkboxes, the search picker) use ``forms/kern_field.html``."""

    form_template_name = "forms/kern_form.html"
    field_template_name = "forms/kern_field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in INPUT_TEMPLATES:
            return render_input(context["widget"])
        if template_name == TEXTAREA_TEMPLATE:
            return render_textarea(context["widget"])
        if template_name == SELECT_TEMPLATE and all(
            option["template_name"] == OPTION_TEMPLATE
            for _name, options, _index in context["widget"]["optgroups"]
            for option in options
        ):
            return render_select(context["widget"])
        if template_name == self.field_template_name and widget_type(context["field"]) in _SINGLE:
            return render_field_group(context["field"])
        return super().render(template_name, context, request)


def widget_type(field: BoundField) -> str:
    """What kind of KERN form element the field is."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, SearchPicker):
        return "picker"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


_CLASSES = {
    "checkbox": "kern-form-check__checkbox",
    "select": "kern-form-input__select",
    "textarea": "kern-form-input__input",
    "input": "kern-form-input__input",
    "choices": "",
    "picker": "",
}
_SINGLE = frozenset(("checkbox", "select", "textarea", "input"))


def kern_widget(field: BoundField) -> SafeString:
    """The field's widget with KERN classes and the ARIA links to its hint and error."""
    kind = widget_type(field)
    css = _CLASSES[kind]
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    attrs: dict[str, str | bool] = {}
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
        if css:
            css = f"{css} {css}--error"
    if css:
        attrs["class"] = css
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


def render_field_group(field: BoundField) -> SafeString:
    """A single-value field in KERN markup: label (with "optional"), hint, error and widget, linked
    for assistive technology (the hint and the error by ``aria-describedby``, the error announced)."""
    kind = widget_type(field)
    auto_id = _escape(field.auto_id)
    hint = (
        f'<div class="kern-hint" id="{auto_id}-hint">{_escape(field.help_text)}</div>'
        if field.help_text
        else ""
    )
    errors = field.errors
    error = (
        f'<p class="kern-error" id="{auto_id}-error" role="alert"><span class="kern-icon '
        f'kern-icon--danger" aria-hidden="true"></span><span class="kern-body">'
        f"{' '.join(_escape(e) for e in errors)}</span></p>"
        if errors
        else ""
    )
    widget: str = kern_widget(field)
    label = f'<label class="kern-label" for="{_escape(field.id_for_label)}">{_escape(field.label)}'
    if kind == "checkbox":
        group = "kern-form-check"
        lines = [widget, f"{label}</label>", hint, error]
    else:
        group = "kern-form-input"
        optional = "" if field.field.required else ' <span class="kern-label__optional">– optional</span>'
        if kind == "select":
            widget = f'<div class="kern-form-input__select-wrapper">{widget}</div>'
        lines = [f"{label}{optional}</label>", hint, error, widget]
    modifier = f" {group}--error" if errors else ""
    body = "".join(f"\n  {line}" for line in lines)
    return mark_safe(f'<div class="{group}{modifier}">{body}\n</div>')  # noqa: S308 - escaped above


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
