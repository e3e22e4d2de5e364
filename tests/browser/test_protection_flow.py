"""Consequences of the assessment as the Jugendamt draws them: the safety plan's measures reach those
who follow them up; calling on the family court needs a court from the directory."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
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

    # The § 36 help plan with the care provider; after discharge the clinic joins on consent.
    worker.locator("section#hilfeplan").get_by_role("link", name="Hilfeplan aufstellen").click()
    worker.get_by_label("Hilfeart").select_option(label="Sozialpädagogische Familienhilfe (§ 31 SGB VIII)")
    worker.get_by_label("Ziele der Hilfe").fill(
        "Verlässliche Versorgung; Mutter setzt Grenzen gegenüber dem Partner."
    )
    worker.get_by_label("Leistungserbringer").select_option(label="Familienhilfe Ruhr e. V. (Demo)")
    worker.get_by_label("Das Kind bzw. der/die Jugendliche hat an der Hilfeplanung mitgewirkt").check()
    worker.get_by_label("Beteiligte Personensorgeberechtigte (oder warum nicht beteiligt)").fill("Mutter")
    worker.get_by_role("button", name="Hilfeplan aufstellen").click()
    expect(
        worker.get_by_text("Bitte das Datum der nächsten Überprüfung angeben", exact=False)
    ).to_be_visible()
    review = (timezone.localdate() + timedelta(days=90)).isoformat()
    worker.get_by_label("Nächste Überprüfung").fill(review)
    axe_check(worker, "78-help-plan-form")
    worker.get_by_role("button", name="Hilfeplan aufstellen").click()
    expect(worker.get_by_text("Der Hilfeplan ist aufgestellt")).to_be_visible()
    plan = worker.locator("section#hilfeplan")
    plan.get_by_role("link", name="Klinik nach Entlassung beteiligen").click()
    worker.get_by_label("Klinik für Kinder- und Jugendpsychiatrie").select_option(
        label="Klinik für Kinder- und Jugendpsychiatrie Dortmund (Demo)"
    )
    worker.get_by_label("Entlassen am").fill(timezone.localdate().isoformat())
    worker.get_by_label("Einwilligung erteilt am").fill(timezone.localdate().isoformat())
    worker.get_by_label("Einwilligung erteilt von", exact=False).fill("Mutter")
    worker.get_by_role("button", name="Klinik beteiligen").click()
    expect(worker.get_by_text("Die Klinik ist an der Hilfeplanung beteiligt")).to_be_visible()
    expect(
        worker.locator("section#hilfeplan").get_by_text("wirkt mit seit der Entlassung", exact=False)
    ).to_be_visible()
    axe_check(worker, "79-help-plan-section")

    provider = signed_in(browser, browser_context_args, base, "f.meyer")
    provider.goto(f"{base}/aufgaben/")
    expect(
        provider.get_by_text("Schutzplan: Sozialpädagogische Familienhilfe zweimal wöchentlich")
    ).to_be_visible()
    axe_check(provider, "77-safety-plan-task")
