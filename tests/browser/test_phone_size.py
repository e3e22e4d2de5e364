"""At phone size (390 × 844) the daily pages work without scrolling sideways: the navigation folds
behind a "Menü" button, "Meine Fälle" and "Meine Aufgaben" become stacked cards that keep every
column, and the answer to "Wer ist zuständig?" stands above the fold."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from schutznetz.cases.models import Case
from schutznetz.seed.loader import Seeded
from tests.browser.conftest import SCREENSHOTS, AxeChecker
from tests.browser.test_case_flow import signed_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


# The innermost elements that reach beyond the right edge, for the failure message.
_WIDE = """() => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 5).map(e => e.tagName.toLowerCase() + "." + [...e.classList].join(".") + " " +
    Math.round(e.getBoundingClientRect().right) + "px: " + (e.textContent || "").trim().slice(0, 40))"""


def _fits(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px: {page.evaluate(_WIDE)}"


def _menu(page: Page, link: str) -> None:
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    expect(nav.get_by_role("link", name=link, exact=True)).to_be_hidden()
    menu = nav.get_by_role("button", name="Menü")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    nav.get_by_role("link", name=link, exact=True).click()


def test_daily_pages_at_phone_size(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    page = signed_in(browser, {**browser_context_args, "viewport": PHONE}, base, "j.hoffmann")
    _fits(page)
    axe_check(page, "70-phone-start")

    _menu(page, "Meine Fälle")
    expect(page.get_by_role("heading", name="Meine Fälle", level=1)).to_be_visible()
    first = page.locator("table.stacked-table tbody tr").first
    # Every column is still there, each with its name, one under the other.
    for label in ("Anlass", "Stand", "Fallführung", "Nächster Schritt"):
        expect(first.locator(f'td[data-label="{label}"]')).to_be_visible()
    _fits(page)
    axe_check(page, "71-phone-my-cases")

    _menu(page, "Meine Aufgaben")
    expect(
        page.locator("table.stacked-table tbody tr").first.locator('td[data-label="Aufgabe"]')
    ).to_be_visible()
    _fits(page)

    case = Case.objects.get(title="Hämatome unklarer Ursache, Mitteilung der Kinderarztpraxis")
    page.goto(f"{base}/faelle/{case.pk}/")
    expect(page.get_by_role("heading", name="Mia Meier", level=1)).to_be_visible()
    # A short summary with the next step; the sections fold under their headings.
    expect(page.get_by_text("Nächster Schritt", exact=True)).to_be_visible()
    tasks = page.get_by_role("button", name="Aufgaben", exact=True)
    expect(tasks).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#tasks")).to_be_hidden()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 3 * PHONE["height"], f"the folded case page is {height} px long"
    _fits(page)
    axe_check(page, "72-phone-case")
    tasks.click()
    expect(tasks).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#tasks .task").first).to_be_visible()
    tasks.click()
    expect(page.locator("#tasks")).to_be_hidden()
    # A link of the contents opens the section it points to.
    page.get_by_role("navigation", name="Abschnitte des Falls").get_by_role("link", name="Verlauf").click()
    expect(page.get_by_role("button", name="Verlauf", exact=True)).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#timeline-heading-body li").first).to_be_in_viewport()
    page.screenshot(path=str(SCREENSHOTS / "74-phone-case-folded.png"), full_page=True)

    # The intake: a stacked card per report, its deadline on screen, the caption wrapped within it.
    _menu(page, "Meldungseingang")
    first = page.locator("table.stacked-table tbody tr").first
    expect(first.locator('td[data-label="Stand"]')).to_be_in_viewport()
    caption = page.locator("table.stacked-table caption").bounding_box()
    assert caption is not None and caption["x"] >= 0 and caption["x"] + caption["width"] <= PHONE["width"]
    assert caption["width"] > 0.8 * PHONE["width"], caption  # the whole width, not a narrow column
    _fits(page)
    axe_check(page, "76-phone-intake")

    _menu(page, "Wissen")
    _fits(page)

    _menu(page, "Wer ist zuständig?")
    page.get_by_label("Postleitzahl").fill("44135")
    page.get_by_role("button", name="Zuständigkeit prüfen").click()
    answer = page.get_by_role("heading", name="Jugendamt Dortmund (Demo)").first
    expect(answer).to_be_in_viewport()
    _fits(page)
    axe_check(page, "73-phone-jurisdiction")

    # The invitee picker of a new meeting fits and works at phone size.
    page.goto(f"{base}/treffen/neu/")
    search = page.get_by_label("Person, Team oder Organisation suchen")
    search.fill("Inobhut")
    page.get_by_role("button", name=re.compile("^Inobhutnahme-Gruppe")).click()
    expect(page.get_by_role("checkbox", name=re.compile("^Inobhutnahme-Gruppe"))).to_be_checked()
    _fits(page)
    axe_check(page, "75-phone-meeting-picker")
