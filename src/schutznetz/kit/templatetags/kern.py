from __future__ import annotations

from typing import Any

from django import forms, template
from django.core.paginator import Page
from django.forms.boundfield import BoundField
from django.http import HttpRequest
from django.utils.safestring import SafeString

from schutznetz.kit.forms import SearchPicker

register = template.Library()


@register.filter
def widget_type(field: BoundField) -> str:
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


@register.filter
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


def _page_url(request: HttpRequest, number: int) -> str:
    """The current address with another page number; the other query parameters (filters) stay."""
    query = request.GET.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"


@register.inclusion_tag("kit/_pagination.html", takes_context=True)
def pagination(context: dict[str, Any], page: Page[Any]) -> dict[str, Any]:
    """Links to the previous and next page of a list, keeping its filters: ``{% pagination page %}``."""
    request = context["request"]
    return {
        "page": page,
        "previous_url": _page_url(request, page.previous_page_number()) if page.has_previous() else "",
        "next_url": _page_url(request, page.next_page_number()) if page.has_next() else "",
    }
