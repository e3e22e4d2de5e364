"""What every HTML page of the crawl must hold for assistive technology (WCAG 2.1: 1.3.1, 4.1.1, 4.1.2):
ids that are unique on the page, and a name for every form field — a ``<label for>``, a label
around it, ``aria-label`` or ``aria-labelledby``."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

UNNAMED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.label_for: set[str] = set()
        self.fields: list[tuple[str, dict[str, str], bool]] = []  # tag, attributes, inside a label
        self._labels = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.ids[attributes["id"]] += 1
        if tag == "label":
            self._labels += 1
            if attributes.get("for"):
                self.label_for.add(attributes["for"])
        elif tag in ("input", "select", "textarea"):
            self.fields.append((tag, attributes, self._labels > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._labels:
            self._labels -= 1


def html_problems(body: str) -> list[str]:
    """Duplicate ids and form fields without an accessible name, one line each."""
    page = _Page()
    page.feed(body)
    problems = [f"id {name!r} appears {count} times" for name, count in page.ids.items() if count > 1]
    for tag, attributes, wrapped in page.fields:
        if tag == "input" and attributes.get("type", "text") in UNNAMED_TYPES:
            continue
        named = (
            wrapped
            or attributes.get("id", "") in page.label_for
            or attributes.get("aria-label", "").strip()
            or attributes.get("aria-labelledby", "").strip()
        )
        if not named:
            problems.append(f"<{tag} name={attributes.get('name', '')!r}> has no accessible name")
    return problems
