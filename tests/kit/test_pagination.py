"""Page links keep the list's filters; a page number out of range is the last page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from schutznetz.kit.pagination import page_of


def _render(path: str) -> str:
    request = RequestFactory().get(path)
    page = page_of(request, list(range(60)), 25)
    template = Template("{% load kern %}{% pagination page %}")
    return template.render(Context({"page": page, "request": request}))


def test_links_to_other_pages_keep_the_filters() -> None:
    html = _render("/hilfeangebote/?category=crying_clinic&postal_code=44135&page=2")
    assert 'href="?category=crying_clinic&amp;postal_code=44135&amp;page=1"' in html
    assert 'href="?category=crying_clinic&amp;postal_code=44135&amp;page=3"' in html
    assert "Seite 2 von 3" in html


def test_a_page_beyond_the_end_shows_the_last_one_and_one_list_has_no_links() -> None:
    assert "Seite 3 von 3" in _render("/faelle/?page=99")
    request = RequestFactory().get("/faelle/")
    single = Paginator([1, 2], 25).get_page(1)
    html = Template("{% load kern %}{% pagination page %}").render(
        Context({"page": single, "request": request})
    )
    assert "Seite" not in html
