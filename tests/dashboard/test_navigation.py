"""The main navigation: every section linked on every signed-in page, the current one marked for
screen readers (aria-current), nothing before the second factor."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db

SECTIONS = [
    ("/", "Start"),
    ("/faelle/", "Meine Fälle"),
    ("/aufgaben/", "Meine Aufgaben"),
    ("/krisen/", "Krisen"),
    ("/meldungen/", "Meldungseingang"),
    ("/mitteilungen/", "Mitteilungen"),
    ("/netzwerk/", "Netzwerk"),
    ("/treffen/", "Treffen"),
    ("/hilfeangebote/", "Hilfen"),
    ("/wissen/", "Wissen"),
    ("/zustaendigkeit/", "Wer ist zuständig?"),
    ("/nachrichten/", "Nachrichten"),
    ("/konto/", "Mein Konto"),
]


def _menu(html: str) -> list[tuple[str, str, bool]]:
    menu = html.split('<ul id="site-nav-list">', 1)[1].split("</ul>", 1)[0]
    return [
        (href, label, bool(current))
        for href, current, label in re.findall(
            r'<li><a class="kern-link" href="([^"]+)"( aria-current="page")?>([^<]+)</a></li>', menu
        )
    ]


def test_each_section_is_linked_and_marked_as_current_on_its_own_pages(
    client: Client, world: f.CaseWorld
) -> None:
    login(client, world.lead)
    for address, label in SECTIONS:
        menu = _menu(client.get(address).text)
        assert [(href, text) for href, text, _ in menu] == SECTIONS
        assert [text for _, text, current in menu if current] == [label], address
    # Inside a case the case's section is current, also on a pathway's page under /faelle/.
    case_page = client.get(f"/faelle/{world.case.pk}/").text  # type: ignore[attr-defined]
    assert [text for _, text, current in _menu(case_page) if current] == ["Meine Fälle"]


def test_no_menu_before_the_second_factor(client: Client, network: f.Network) -> None:
    client.force_login(network.dortmund_professional)
    page = client.get("/", follow=True).text
    assert _menu(page) == [] and "Abmelden" in page
