"""No duplicate cases, as the demo's Jugendamt Dortmund meets one: the paediatric practice opened a
case on "Mya Maier" and invited the Jugendamt, which has a case on "Mia Meier" (born in the same month). The
Jugendamt's coordinator accepts, is warned of the likely duplicate, compares both side by side and
joins the practice's case into the Jugendamt's own. The practice sees that its invitation was
accepted — and nothing of the Jugendamt's other case; a worker of the Jugendamt no longer finds the
joined case in "Meine Fälle" but in the older one."""

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

NEWER = "Hämatome an Oberarm und Rücken bei der Vorsorgeuntersuchung U8"
OLDER = "Hämatome unklarer Ursache, Mitteilung der Kinderarztpraxis"


def test_the_jugendamt_joins_a_likely_duplicate_and_the_practice_learns_nothing_of_it(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    newer = Case.objects.get(title=NEWER)
    older = Case.objects.get(title=OLDER)

    # The Jugendamt's coordinator reads the invitation and accepts it.
    coordinator = signed_in(browser, browser_context_args, base, "m.becker")
    coordinator.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Meine Fälle"
    ).click()
    coordinator.get_by_role("link", name="Einladungen an meine Organisation").click()
    invitation = coordinator.locator(".kern-card", has_text=newer.child.pseudonym)
    expect(invitation).to_contain_text("Hämatome unterschiedlichen Alters")
    invitation.get_by_role("button", name="Annehmen").click()
    expect(coordinator.get_by_role("heading", name="Mya Maier", level=1)).to_be_visible()

    # The warning, the comparison side by side, the join.
    warning = coordinator.locator("#duplicates")
    expect(warning).to_contain_text("Möglicher Doppelfall")
    expect(warning).to_contain_text(older.child.pseudonym)
    axe_check(coordinator, "60-duplicate-warning")
    warning.get_by_role("link", name=re.compile("Fälle vergleichen")).click()
    expect(coordinator.get_by_role("heading", name="Möglicher Doppelfall", level=1)).to_be_visible()
    expect(
        coordinator.get_by_role("region", name=re.compile(f"Fall {older.child.pseudonym}"))
    ).to_contain_text("Mia Meier")
    expect(
        coordinator.get_by_role("region", name=re.compile(f"Fall {newer.child.pseudonym}"))
    ).to_contain_text("Mya Maier")
    axe_check(coordinator, "61-duplicate-compare")
    coordinator.get_by_role(
        "button", name=f"Fall {newer.child.pseudonym} mit Fall {older.child.pseudonym} zusammenführen"
    ).click()
    expect(
        coordinator.get_by_text(re.compile("ist für Ihre Organisation mit Fall .* zusammengeführt"))
    ).to_be_visible()
    expect(coordinator.get_by_role("heading", name="Mia Meier", level=1)).to_be_visible()
    joined = coordinator.get_by_role("region", name="Zusammengeführte Fälle")
    expect(joined).to_contain_text(NEWER)
    # Accepting completed the practice's "Jugendamt informieren"; its next step is shown here.
    expect(joined).to_contain_text("Fall sichten und nächsten Schritt festlegen")
    axe_check(coordinator, "62-duplicate-joined")

    # A worker of the Jugendamt: one case on Mia in "Meine Fälle", the other reached through it.
    worker = signed_in(browser, browser_context_args, base, "j.hoffmann")
    worker.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Meine Fälle").click()
    expect(worker.get_by_text(OLDER)).to_be_visible()
    expect(worker.get_by_text(NEWER)).to_have_count(0)

    # The practice: its invitation was accepted; nothing of the Jugendamt's other case.
    practice = signed_in(browser, browser_context_args, base, "dr.hartmann")
    practice.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Nachrichten").click()
    expect(
        practice.get_by_text(f"Antwort auf Ihre Einladung im Fall {newer.child.pseudonym}")
    ).to_be_visible()
    practice.goto(f"{base}/faelle/{newer.pk}/")
    expect(practice.get_by_role("heading", name="Mya Maier", level=1)).to_be_visible()
    for hidden in (older.child.pseudonym, "zusammengeführt", "Doppelfall", OLDER):
        expect(practice.get_by_text(hidden)).to_have_count(0)
    for url in (f"/faelle/{older.pk}/", f"/faelle/{newer.pk}/doppelfall/{older.pk}/"):
        response = practice.goto(base + url)
        assert response is not None and response.status == 404
        expect(practice.get_by_role("heading", name="Nicht gefunden.")).to_be_visible()

    # The coordinator takes the join back (within 30 days): both stand apart again.
    coordinator.get_by_role("button", name=re.compile("Zusammenführung aufheben")).click()
    expect(coordinator.get_by_text("Die Zusammenführung ist aufgehoben")).to_be_visible()
    expect(coordinator.locator("#duplicates")).to_contain_text(newer.child.pseudonym)
