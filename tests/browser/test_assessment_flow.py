"""The Jugendamt's risk assessment (§ 8a SGB VIII) as two professionals do it: one records and signs,
a colleague signs as the second; only then does it count."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from schutznetz.cases.models import Case
from schutznetz.seed.loader import Seeded
from tests.browser.conftest import AxeChecker
from tests.browser.test_case_flow import signed_in

pytestmark = pytest.mark.browser


def test_two_professionals_sign_the_assessment(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    case = Case.objects.get(title__startswith="Anhaltende Schulverweigerung")
    first = signed_in(browser, browser_context_args, base, "j.hoffmann")
    first.goto(f"{base}/faelle/{case.pk}/")
    section = first.locator("section#gefaehrdungseinschaetzung")
    expect(section.get_by_text("Noch keine Gefährdungseinschätzung")).to_be_visible()  # loaded by htmx
    section.get_by_role("link", name="Gefährdungseinschätzung erfassen").click()
    first.get_by_label("Kind gesehen von").fill("Frau Hoffmann und Herr Schulz")
    first.get_by_label("Grundversorgung", exact=True).select_option("limited")
    first.get_by_label("Grundversorgung: Begründung").fill("Kind kommt ohne Frühstück, Kleidung zu dünn")
    first.get_by_label("latente Kindeswohlgefährdung").check()
    first.get_by_label("Vernachlässigung").check()
    first.get_by_label("Mutter", exact=True).check()
    axe_check(first, "73-assessment-form")
    first.get_by_role("button", name="Speichern und unterzeichnen").click()
    expect(first.get_by_text(re.compile("Sie gilt, sobald eine zweite Fachkraft"))).to_be_visible()
    section = first.locator("section#gefaehrdungseinschaetzung")
    expect(
        section.get_by_text(re.compile("wartet auf die Unterschrift einer zweiten Fachkraft"))
    ).to_be_visible()
    # The author has signed: no second signature from the same person.
    expect(section.get_by_role("button", name="Als zweite Fachkraft unterzeichnen")).to_have_count(0)

    second = signed_in(browser, browser_context_args, base, "m.becker")
    second.goto(f"{base}/faelle/{case.pk}/")
    section = second.locator("section#gefaehrdungseinschaetzung")
    section.get_by_role("button", name="Als zweite Fachkraft unterzeichnen").click()
    expect(second.get_by_text("Sie haben die Gefährdungseinschätzung unterzeichnet.")).to_be_visible()
    section = second.locator("section#gefaehrdungseinschaetzung")
    expect(section.get_by_text(re.compile("von 2 Fachkräften unterzeichnet"))).to_be_visible()
    expect(section.get_by_text("Vernachlässigung")).to_be_visible()
    axe_check(second, "74-assessment-signed")
