"""Consent between organisations clicked through in the real Chromium: the youth office records a
cooperation agreement with a practice, which takes effect when the practice agrees; a counselling
centre asks to hold a consultation hour in a practice, which the practice accepts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from schutznetz.seed.loader import Seeded
from tests.browser.conftest import AxeChecker
from tests.browser.test_case_flow import nav, signed_in

pytestmark = pytest.mark.browser


def test_an_agreement_takes_effect_when_the_practice_agrees(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    youth_office = signed_in(browser, browser_context_args, base, "m.becker")
    nav(youth_office, "Netzwerk")
    youth_office.get_by_role("link", name="Kooperationsvereinbarungen").click()
    youth_office.get_by_role("link", name="Neue Vereinbarung erfassen").click()
    youth_office.get_by_label("Bezeichnung").fill("Rückmeldungen an die Praxis am Westpark")
    parties = youth_office.get_by_role("group", name="Vertragsparteien")
    parties.get_by_label("Jugendamt Dortmund (Demo)").check()
    parties.get_by_label("Kinder- und Jugendarztpraxis am Westpark (Demo)").check()
    youth_office.get_by_label("gültig ab").fill("2026-01-01")
    first = youth_office.get_by_role("group", name="Regelung 1")
    first.get_by_label("Art der Übergabe").select_option(label="Teilnahme an einer Fallkonferenz")
    first.get_by_label("Dringlichkeit").select_option(label="regulär")
    first.get_by_label("verantwortlich").select_option(label="Jugendamt Dortmund (Demo)")
    first.get_by_label("Reaktionszeit").fill("3")
    first.get_by_label("Einheit").select_option(label="Arbeitstage")
    youth_office.get_by_role("button", name="Vereinbarung speichern").click()
    expect(
        youth_office.get_by_role("heading", name="Wartet auf Zustimmung aller Vertragsparteien")
    ).to_be_visible()
    expect(
        youth_office.get_by_text("Kinder- und Jugendarztpraxis am Westpark (Demo): Zustimmung ausstehend")
    ).to_be_visible()
    axe_check(youth_office, "33-agreement-waiting")

    practice = signed_in(browser, browser_context_args, base, "dr.hartmann")
    nav(practice, "Nachrichten")
    practice.get_by_text(re.compile("Vereinbarung zur Zustimmung")).first.click()
    nav(practice, "Netzwerk")
    practice.get_by_role("link", name="Kooperationsvereinbarungen").click()
    practice.get_by_role("link", name="Rückmeldungen an die Praxis am Westpark").click()
    practice.get_by_role("button", name="Für meine Organisation zustimmen").click()
    expect(practice.get_by_text("Ihre Organisation hat der Vereinbarung zugestimmt.")).to_be_visible()
    expect(practice.get_by_role("heading", name=re.compile("^In Kraft seit"))).to_be_visible()
    axe_check(practice, "34-agreement-in-force")


def test_a_consultation_hour_in_a_practice_needs_the_practices_consent(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    counselling = signed_in(browser, browser_context_args, base, "h.jung")
    nav(counselling, "Hilfen")
    counselling.get_by_role("link", name="Sprechstunden in Praxen").click()
    counselling.get_by_role("link", name="Sprechstunde einrichten").click()
    counselling.get_by_label("Praxis").select_option(label="Kinderarztpraxis Bochum-Mitte (Demo)")
    counselling.get_by_label("Beratende Fachkraft").select_option(
        label="Hanna Jung – Erziehungsberatungsstelle Dortmund-Mitte (Demo)"
    )
    counselling.get_by_label("Wochentag").select_option(label="Freitag")
    counselling.get_by_label("von").fill("09:00")
    counselling.get_by_label("bis", exact=True).fill("11:00")
    counselling.get_by_label("ab", exact=True).fill("2026-12-04")
    counselling.get_by_role("button", name=re.compile("speichern|einrichten", re.IGNORECASE)).click()
    expect(
        counselling.get_by_text("Die Sprechstunde findet erst statt, wenn die Praxis zustimmt.")
    ).to_be_visible()
    axe_check(counselling, "56-hour-proposed")

    practice = signed_in(browser, browser_context_args, base, "dr.krueger")
    nav(practice, "Hilfen")
    practice.get_by_role("link", name="Sprechstunden in Praxen").click()
    proposed = practice.get_by_role("region", name="Angefragt, wartet auf die Zustimmung der Praxis")
    proposed.get_by_role("link", name=re.compile("Kinderarztpraxis Bochum-Mitte")).click()
    practice.get_by_role("button", name="Sprechstunde zustimmen").click()
    expect(practice.get_by_text("Die Praxis hat der Sprechstunde zugestimmt.")).to_be_visible()
    expect(practice.get_by_text(re.compile("^vereinbart"))).to_be_visible()
    expect(practice.get_by_role("button", name="Termin buchen")).to_be_visible()
    axe_check(practice, "57-hour-agreed")
