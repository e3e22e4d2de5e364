from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def widget_type(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
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
}


@register.filter
def kern_widget(field: BoundField) -> SafeString:
    """The field's widget with KERN classes and the ARIA links to its hint and error."""
    kind = widget_type(field)
    css = _CLASSES[kind]
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    attrs: dict[str, str] = {}
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
