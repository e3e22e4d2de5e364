"""Outreach clicked through in the real Chromium: the practice books a family into the Jugendhilfe
consultation hour, refers a family to Familienhebammen, and the provider tracks it to "started"."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Browser, expect

from schutznetz.outreach.models import ConsultationBooking
from schutznetz.seed.loader import Seeded
from tests.browser.conftest import AxeChecker
from tests.browser.test_case_flow import nav, signed_in

pytestmark = pytest.mark.browser


def test_book_a_consultation_slot_and_track_a_referral_to_started(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    practice = signed_in(browser, browser_context_args, base, "m.schneider")
    nav(practice, "Hilfen")
    practice.get_by_role("link", name="Sprechstunden in Praxen").click()
    axe_check(practice, "50-consultation-hours")
    practice.get_by_role("link", name="Kinderarztpraxis Dr. Yılmaz (Demo)").click()
    expect(practice.get_by_role("cell", name="Pat.-Nr. 20417")).to_be_visible()  # booked in the demo
    slot = practice.get_by_label("Termin", exact=True)
    first_free = slot.locator("option").first.get_attribute("value")
    slot.select_option(first_free)
    practice.get_by_label("Kennung der Familie").fill("Pat.-Nr. 30001")
    practice.get_by_label("Anliegen").fill("Fragen zu Hilfen für Alleinerziehende")
    practice.get_by_label("Die Familie ist mit der Vermittlung einverstanden").check()
    axe_check(practice, "51-consultation-hour")
    practice.get_by_role("button", name="Termin buchen").click()
    expect(practice.get_by_text("Der Termin ist gebucht")).to_be_visible()
    expect(practice.get_by_role("cell", name="Pat.-Nr. 30001")).to_be_visible()
    expect(slot.locator(f"option[value='{first_free}']")).to_have_count(0)  # no longer offered

    nav(practice, "Hilfen")
    practice.get_by_label("Art des Angebots").select_option(label="Familienhebamme / FGKiKP")
    practice.get_by_label("Postleitzahl der Familie").fill("44145")
    practice.get_by_role("button", name="Filtern").click()
    expect(practice.locator("#offer-count")).to_have_text("1 Angebot")
    axe_check(practice, "52-help-offers")
    practice.get_by_role("link", name="Familienhebammen Dortmund-Nord").click()
    practice.get_by_label("Postleitzahl der Familie").fill("44787")
    practice.get_by_label("Kennung der Familie").fill("Pat.-Nr. 30002")
    practice.get_by_label("Anliegen").fill("Frühgeborenes, Mutter unsicher beim Füttern")
    practice.get_by_label("Die Familie ist mit der Vermittlung einverstanden").check()
    practice.get_by_role("button", name="Familie vermitteln").click()
    expect(practice.get_by_text("ist für die Postleitzahl 44787 nicht zuständig")).to_be_visible()
    axe_check(practice, "53-referral-outside-area")
    practice.get_by_label("Postleitzahl der Familie").fill("44145")
    practice.get_by_label("Die Familie ist mit der Vermittlung einverstanden").check()
    practice.get_by_role("button", name="Familie vermitteln").click()
    expect(practice.get_by_text("Die Familie ist vermittelt.")).to_be_visible()
    expect(practice.get_by_text(re.compile("^vermittelt – nachhalten am"))).to_be_visible()

    provider = signed_in(browser, browser_context_args, base, "c.zimmermann")
    nav(provider, "Hilfen")
    provider.get_by_role("link", name="Vermittlungen").click()
    axe_check(provider, "54-referrals")
    provider.get_by_role("link", name="Pat.-Nr. 30002").click()
    provider.get_by_label("Neuer Stand").select_option(label="Hilfe begonnen")
    provider.get_by_label("Vermerk").fill("Erster Hausbesuch der Familienhebamme")
    provider.get_by_role("button", name="Stand speichern").click()
    expect(provider.get_by_text("Der Stand der Vermittlung ist erfasst.")).to_be_visible()
    expect(provider.locator("dd strong")).to_have_text("Hilfe begonnen")
    expect(provider.get_by_text(re.compile("Hilfe begonnen · Carla Zimmermann"))).to_be_visible()
    axe_check(provider, "55-referral-started")

    practice.reload()
    expect(practice.locator("dd strong")).to_have_text("Hilfe begonnen")


def test_the_counsellor_records_the_outcome_and_the_practice_sees_what_the_family_agreed_to(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    booking = ConsultationBooking.objects.get(reference="Pat.-Nr. 20417")
    consultation_day = timezone.make_aware(datetime.combine(booking.date, time(11, 0)))
    with time_machine.travel(consultation_day, tick=True):
        # The Jugendamt's counsellor, after the consultation in the practice.
        counsellor = signed_in(browser, browser_context_args, base, "t.schulz")
        nav(counsellor, "Hilfen")
        counsellor.get_by_role("link", name="Meine Sprechstunden").click()
        card = counsellor.locator(".kern-card", has_text="Pat.-Nr. 20417")
        expect(card).to_contain_text("Ergebnis: noch nicht festgehalten")
        card.get_by_label("Ergebnis", exact=True).select_option(label="Beratung erfolgt")
        card.get_by_label("Vermerk").fill("Schreiambulanz empfohlen; Wiedervorstellung in zwei Wochen")
        card.get_by_label("Die Familie ist einverstanden, dass die Praxis das Ergebnis erfährt").check()
        axe_check(counsellor, "53-consultation-outcome")
        card.get_by_role("button", name="Ergebnis festhalten").click()
        expect(counsellor.get_by_text("Das Ergebnis ist festgehalten.")).to_be_visible()
        expect(counsellor.locator(".kern-card", has_text="Pat.-Nr. 20417")).to_contain_text(
            "Beratung erfolgt – Schreiambulanz empfohlen"
        )

        # The practice that booked it: the outcome the family agreed to share, not the counsellor's note.
        practice = signed_in(browser, browser_context_args, base, "m.schneider")
        nav(practice, "Hilfen")
        practice.get_by_role("link", name="Meine Sprechstunden").click()
        seen = practice.locator(".kern-card", has_text="Pat.-Nr. 20417")
        expect(seen).to_contain_text("Ergebnis: Beratung erfolgt")
        expect(seen).not_to_contain_text("Schreiambulanz")
        axe_check(practice, "54-consultation-outcome-practice")
