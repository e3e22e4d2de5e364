"""The family moves from Dortmund to Bochum (§ 8a Abs. 6 SGB VIII): Dortmund offers the case, Bochum
finds the offer in its intake, reads what it needs to assess the risk and takes the case over;
Dortmund then reads the history only."""

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


def test_move_to_bochum(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    case = Case.objects.get(title__startswith="Hämatome unklarer Ursache")
    dortmund = signed_in(browser, browser_context_args, base, "j.hoffmann")
    dortmund.goto(f"{base}/faelle/{case.pk}/")
    dortmund.locator("section#wegzug").get_by_role(
        "link", name="Wegzug erfassen und Übergabe anbieten"
    ).click()
    dortmund.get_by_label("Neue Anschrift: Straße und Hausnummer").fill("Kortumstraße 12")
    dortmund.get_by_label("Postleitzahl").fill("44787")
    dortmund.get_by_label("Ort").fill("Bochum")
    dortmund.get_by_label("Informationen für das neue Jugendamt zur Gefährdungseinschätzung").fill(
        "Latente Gefährdung; Schutzplan mit Familienhilfe; Lebensgefährte darf nicht in die Wohnung."
    )
    axe_check(dortmund, "85-move-form")
    dortmund.get_by_role("button", name="Übergabe anbieten").click()
    expect(
        dortmund.get_by_text(re.compile("Bis zur Übernahme bleibt die Fallführung bei Ihnen"))
    ).to_be_visible()

    bochum = signed_in(browser, browser_context_args, base, "s.neumann")
    bochum.goto(f"{base}/meldungen/")
    bochum.get_by_role("row", name=re.compile(case.child.pseudonym)).get_by_role("link").first.click()
    expect(bochum.get_by_text("Lebensgefährte darf nicht in die Wohnung", exact=False)).to_be_visible()
    expect(bochum.get_by_text("latente Kindeswohlgefährdung", exact=False)).to_be_visible()
    axe_check(bochum, "86-move-offer")
    bochum.get_by_role("button", name="Fall übernehmen").click()
    expect(bochum.get_by_text("Ihr Jugendamt hat den Fall übernommen")).to_be_visible()
    first_step = bochum.get_by_role("heading", name=re.compile("Gefährdungseinschätzung nach Zuzug"))
    expect(first_step).to_be_visible()

    dortmund.goto(f"{base}/faelle/{case.pk}/")
    expect(dortmund.get_by_role("heading", name="Mia Meier", level=1)).to_be_visible()
    expect(dortmund.get_by_text(re.compile("liest die Fallgeschichte noch bis")).first).to_be_visible()
    expect(dortmund.locator("form[action$='/aufgaben/']")).to_have_count(0)
    expect(dortmund.get_by_role("link", name="Aufgabe anlegen …")).to_have_count(0)
    axe_check(dortmund, "87-case-read-only")
