"""Page links keep the list's filters; a page number out of range is the last page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from schutznetz.kit.pagination import page_of, page_read_ahead


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


def _read_ahead(path: str, total: int, cap: int = 200) -> tuple[str, list[int]]:
    """The pagination of a list of ``total`` rows read ahead, and how many rows each read asked for."""
    asked: list[int] = []

    def read(n: int) -> list[int]:
        asked.append(n)
        return list(range(min(n, total)))

    request = RequestFactory().get(path)
    page = page_read_ahead(request, read, cap=cap)
    template = Template("{% load kern %}{% pagination page %}")
    return template.render(Context({"page": page, "request": request})), asked


def test_a_list_read_ahead_reads_one_row_beyond_the_page_and_says_more_follow() -> None:
    html, asked = _read_ahead("/meldungen/", 1000)
    assert asked == [26]
    assert "Seite 1, weitere folgen" in html and 'href="?page=2"' in html
    html, asked = _read_ahead("/meldungen/?page=3", 60)
    assert asked == [76] and "Seite 3 von 3" in html and "Nächste Seite" not in html
    html, asked = _read_ahead("/meldungen/?page=2", 50)  # exactly two pages: no third
    assert asked == [51] and "Seite 2 von 2" in html and "Nächste Seite" not in html


def test_a_list_read_ahead_ends_at_its_cap_and_odd_page_numbers_are_as_elsewhere() -> None:
    html, asked = _read_ahead("/meldungen/?page=99", 1000)
    assert asked == [201] and "Seite 8 – mehr als 200 Einträge, bitte über die Suche eingrenzen" in html
    html, asked = _read_ahead("/meldungen/?page=0", 150)
    assert asked == [201] and "Seite 6 von 6" in html
    html, asked = _read_ahead("/meldungen/?page=zwei", 1000)
    assert asked == [26] and "Seite 1, weitere folgen" in html
