"""Consequences of the assessment as the Jugendamt draws them: the safety plan's measures reach those
who follow them up; calling on the family court needs a court from the directory."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from schutznetz.cases.models import Case
from schutznetz.seed.loader import Seeded
from tests.browser.conftest import AxeChecker
from tests.browser.test_case_flow import signed_in

pytestmark = pytest.mark.browser


def test_safety_plan_reaches_the_care_provider_and_the_court_is_called_on(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    case = Case.objects.get(title__startswith="Hämatome unklarer Ursache")
    worker = signed_in(browser, browser_context_args, base, "j.hoffmann")
    worker.goto(f"{base}/faelle/{case.pk}/")
    section = worker.locator("section#schutz")
    expect(section.get_by_text("Sozialpädagogische Familienhilfe zweimal wöchentlich")).to_be_visible()
    axe_check(worker, "75-protection-section")
    section.get_by_role("link", name="Familiengericht anrufen").click()
    worker.get_by_label("Begründung").fill(
        "Die Mutter lässt den Lebensgefährten trotz Schutzplan in die Wohnung; sie kann die Gefährdung "
        "nicht abwenden."
    )
    worker.get_by_role("button", name="Anrufung erfassen").click()
    expect(worker.get_by_text("Bitte das Familiengericht aus dem Verzeichnis wählen.")).to_be_visible()
    worker.get_by_label("Familiengericht", exact=True).select_option(
        label="Amtsgericht Dortmund – Familiengericht (Demo)"
    )
    worker.get_by_label("Eilverfahren (einstweilige Anordnung) beantragt").check()
    axe_check(worker, "76-court-referral-form")
    worker.get_by_role("button", name="Anrufung erfassen").click()
    expect(worker.get_by_text("Die Anrufung des Familiengerichts ist erfasst")).to_be_visible()
    section = worker.locator("section#schutz")
    expect(section.get_by_text("im Eilverfahren")).to_be_visible()

    provider = signed_in(browser, browser_context_args, base, "f.meyer")
    provider.goto(f"{base}/aufgaben/")
    expect(
        provider.get_by_text("Schutzplan: Sozialpädagogische Familienhilfe zweimal wöchentlich")
    ).to_be_visible()
    axe_check(provider, "77-safety-plan-task")
