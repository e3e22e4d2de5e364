from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page
from django.http import HttpRequest

from schutznetz.kit.forms import widget_type
from schutznetz.kit.phone import display

register = template.Library()


register.filter("widget_type", widget_type)


@register.filter
def phone(e164: str) -> str:
    """A number kept in E.164 as a German reader writes it: ``{{ number|phone }}``."""
    return display(e164) if e164 else ""


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
