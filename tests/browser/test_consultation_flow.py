"""Pseudonymised consultation (§ 4 Abs. 2 KKG) clicked through by the paediatrician and the
specialist of the Kinderschutzzentrum, each in their own browser."""

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

# What identifies Emma, or was written in free text that the specialist must never see.
HIDDEN = ("Emma", "Kowalski", "Kaiserstraße", "44135", "Gitterbettkante", "Petechien an der Ohrmuschel")


def test_doctor_asks_the_specialist_who_answers_without_knowing_the_child(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    case = Case.objects.get(title__startswith="Hämatom an der Wange bei der Vorsorgeuntersuchung")
    doctor = signed_in(browser, browser_context_args, base, "dr.yilmaz")
    doctor.goto(f"{base}/faelle/{case.pk}/")
    doctor.locator("section#befunde").get_by_role("link", name="Fachberatung anfragen").click()
    doctor.get_by_label("Fachstelle").select_option(
        label="Kinderschutzzentrum Dortmund (Demo) (Kinderschutzzentrum)"
    )
    doctor.get_by_label("Dringlichkeit").select_option("urgent")
    question = doctor.get_by_label("Fragestellung (pseudonymisiert)")
    question.fill("Emma Kowalski, 7 Monate, Hämatom an der Wange.")
    doctor.get_by_role("button", name="Anfrage senden").click()
    expect(doctor.get_by_text(re.compile("„Emma Kowalski“"))).to_be_visible()  # refused, passage shown
    question.fill("Säugling, 7 Monate, nicht mobil, Hämatom an der Wange und Petechien am Ohr. Vorgehen?")
    axe_check(doctor, "62-consultation-request")
    doctor.get_by_role("button", name="Anfrage senden").click()
    expect(doctor.get_by_text("Die Anfrage ist an die Fachstelle gegangen.")).to_be_visible()
    expect(doctor.locator("section#befunde").get_by_text(re.compile("Antwort erbeten bis"))).to_be_visible()

    specialist = signed_in(browser, browser_context_args, base, "u.vogel")
    specialist.goto(f"{base}/faelle/einladungen/")
    card = specialist.locator(".kern-card", has_text=case.child.pseudonym)
    card.get_by_role("button", name="Annehmen").click()
    specialist.goto(f"{base}/faelle/{case.pk}/")
    section = specialist.locator("section#beratung")
    expect(section.get_by_text("TEN-4-FACESp: positiv")).to_be_visible()  # loaded by htmx
    expect(section.get_by_text("Hämatom an Wange links, 2 × 1,5 cm", exact=False)).to_be_visible()
    for text in HIDDEN:
        assert text not in specialist.content(), text
    axe_check(specialist, "63-consultation-specialist")
    section.get_by_label("Antwort").fill(
        "Skelettscreening und Gerinnungsdiagnostik; Mitteilung an das Jugendamt erwägen."
    )
    section.get_by_role("button", name="Antworten").click()
    expect(
        specialist.get_by_text("Die Antwort ist im Fallverlauf für alle Beteiligten sichtbar.")
    ).to_be_visible()
    for text in HIDDEN:
        assert text not in specialist.content(), text

    doctor.reload()
    expect(
        doctor.locator("section#befunde").get_by_text(re.compile("Skelettscreening und Gerinnungsdiagnostik"))
    ).to_be_visible()
    expect(
        doctor.get_by_text(re.compile("Antwort der Fachberatung \\(Kinderschutzzentrum Dortmund"))
    ).to_be_visible()
