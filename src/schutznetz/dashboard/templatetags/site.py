"""The main navigation of every signed-in page, written in Python: as thirteen ``{% url %}`` and
their ``aria-current`` conditions in ``base.html`` it took 0.57 of the layout's 0.73 ms."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django import template
from django.conf import settings
from django.urls import ResolverMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from schutznetz.network.policy import youth_offices_of

register = template.Library()


def _is_case_page(m: ResolverMatch) -> bool:
    """The case list and everything in a case (the pathways' pages under /faelle/ and the case
    conferences), but not "Meine Aufgaben" or the access log."""
    return (
        (m.app_name == "cases" and m.url_name not in ("tasks", "access_log"))
        or (m.app_name != "cases" and m.route.startswith("faelle"))
        or m.route.startswith("fallkonferenzen")
    )


# (URL name, label, is this the current section?) in the order of the menu.
NAVIGATION: tuple[tuple[str, str, Callable[[ResolverMatch], bool]], ...] = (
    ("dashboard:home", "Start", lambda m: m.url_name == "home"),
    ("cases:list", "Meine Fälle", _is_case_page),
    ("cases:tasks", "Meine Aufgaben", lambda m: m.url_name == "tasks"),
    ("crisis:list", "Krisen", lambda m: m.app_name == "crisis" and m.route.startswith("krisen")),
    (
        "welfare:intakes",
        "Meldungseingang",
        lambda m: (m.app_name == "welfare" and "intake" in (m.url_name or "")) or m.url_name == "move",
    ),
    ("medical:reports", "Mitteilungen", lambda m: m.url_name in ("reports", "report")),
    ("network:directory", "Netzwerk", lambda m: m.url_name == "directory"),
    ("meetings:list", "Treffen", lambda m: m.app_name == "meetings"),
    ("outreach:offers", "Hilfen", lambda m: m.app_name == "outreach"),
    ("network:knowledge", "Wissen", lambda m: m.url_name == "knowledge"),
    ("network:jurisdiction", "Wer ist zuständig?", lambda m: m.url_name == "jurisdiction"),
    ("notify:inbox", "Nachrichten", lambda m: m.url_name == "inbox"),
    ("accounts:profile", "Mein Konto", lambda m: m.url_name == "profile"),
)


ITEM = '<li><a class="kern-link" href="{}"{}>{}</a></li>'


# Items only some people need: the Jugendamt's intake for those who work for one (a Kita's or a
# practice's menu has no "Meldungseingang").
ONLY_FOR_YOUTH_OFFICES = frozenset({"welfare:intakes"})


@cache
def _items(
    urlconf: str | None, script_prefix: str, current: tuple[bool, ...], youth_office: bool
) -> SafeString:
    """The menu's items with the addresses reversed, once per process for each URL configuration,
    script prefix, current section (fourteen of them) and whether the user works for a Jugendamt."""
    items = []
    for (name, label, _), marked in zip(NAVIGATION, current, strict=True):
        if name in ONLY_FOR_YOUTH_OFFICES and not youth_office:
            continue
        attribute = mark_safe(' aria-current="page"') if marked else ""
        items.append(format_html(ITEM, reverse(name, urlconf=urlconf), attribute, label))
    return mark_safe("\n          ".join(items))  # noqa: S308  # each item is escaped by format_html


@register.simple_tag(takes_context=True)
def site_nav(context: dict[str, Any]) -> SafeString:
    """The menu's items, the current section marked with ``aria-current="page"``."""
    request = context.get("request")
    match: ResolverMatch | None = getattr(request, "resolver_match", None)
    current = tuple(match is not None and is_current(match) for _, _, is_current in NAVIGATION)
    user = getattr(request, "user", None)
    youth_office = bool(user is not None and user.is_authenticated and youth_offices_of(user))
    return _items(get_urlconf(settings.ROOT_URLCONF), get_script_prefix(), current, youth_office)
