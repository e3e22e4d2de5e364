"""The insoweit erfahrene Fachkraft records its advice in the Jugendamt's case (§ 8a Abs. 4 SGB VIII),
and the Jugendamt's worker reads it: each in their own browser."""

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

HIDDEN = ("Mia", "Meier", "Münsterstraße", "15.01.2021")


def test_the_specialist_records_its_advice_and_the_lead_reads_it(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    case = Case.objects.get(title__startswith="Hämatome unklarer Ursache, Mitteilung der Kinderarztpraxis")
    specialist = signed_in(browser, browser_context_args, base, "u.vogel")
    specialist.goto(f"{base}/faelle/{case.pk}/")
    section = specialist.locator("section#beratungsergebnis")
    expect(section.get_by_text("Noch kein Beratungsergebnis")).to_be_visible()  # loaded by htmx
    section.get_by_label("Weitere Klärung erforderlich").check()
    section.get_by_label("Empfehlung zum weiteren Vorgehen").fill(
        "Mia Meier sollte kinderärztlich untersucht werden."
    )
    section.get_by_role("button", name="Beratungsergebnis speichern").click()
    expect(specialist.get_by_text(re.compile("„Mia Meier“"))).to_be_visible()  # refused, passage named
    specialist.get_by_label("Weitere Klärung erforderlich").check()
    specialist.get_by_label("Empfehlung zum weiteren Vorgehen").fill(
        "Kinderärztliche Untersuchung veranlassen; Schutzplan nach zwei Wochen überprüfen."
    )
    axe_check(specialist, "68-specialist-advice-form")
    specialist.get_by_role("button", name="Beratungsergebnis speichern").click()
    expect(specialist.get_by_text(re.compile("Das Beratungsergebnis ist dokumentiert"))).to_be_visible()
    for text in HIDDEN:
        assert text not in specialist.content(), text

    worker = signed_in(browser, browser_context_args, base, "j.hoffmann")
    worker.goto(f"{base}/faelle/{case.pk}/")
    advice = worker.locator("section#beratungsergebnis")
    expect(advice.get_by_text(re.compile("Schutzplan nach zwei Wochen überprüfen"))).to_be_visible()
    expect(advice.get_by_role("button", name="Beratungsergebnis speichern")).to_have_count(0)
    axe_check(worker, "69-specialist-advice-read")
