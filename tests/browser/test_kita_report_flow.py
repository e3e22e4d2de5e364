"""A Kita reports to the Jugendamt (§ 8a Abs. 4 SGB VIII), as a doctor does under § 4 Abs. 3 KKG:
the Kita's educator writes the report, says why the family was not told beforehand, and the
Jugendamt's person on call is alerted, finds it in the intake and acknowledges it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from schutznetz.accounts.models import User
from schutznetz.medical.models import YouthOfficeReport
from schutznetz.network.models import Membership
from schutznetz.seed.loader import Seeded
from tests import factories as f
from tests.browser.conftest import AxeChecker
from tests.browser.test_case_flow import signed_in
from tests.browser.test_report_flow import _on_call_now
from tests.smtp import Inbox

pytestmark = pytest.mark.browser


def test_a_kita_reports_and_the_youth_offices_person_on_call_acknowledges(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    smtp: Inbox,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    educator = User.objects.get(username="l.krause")
    kita = Membership.objects.get(user=educator, is_active=True).organisation
    case = f.make_case(
        educator,
        kita,
        identity=f.child_identity(given="Noah", family="Petersen", born="2021-09-02", postal_code="44147"),
        title="Striemen am Unterarm, mehrfach ohne Frühstück",
    )
    on_call = _on_call_now("t.schulz")

    # 1. The educator writes the report from the case page.
    page = signed_in(browser, browser_context_args, base, "l.krause")
    page.goto(f"{base}/faelle/{case.pk}/")
    page.locator("section#mitteilung").get_by_role(
        "link", name="Mitteilung an das Jugendamt verfassen"
    ).click()
    expect(
        page.get_by_role("heading", name="Mitteilung an das Jugendamt (§ 8a Abs. 4 SGB VIII)")
    ).to_be_visible()
    expect(
        page.get_by_text(re.compile("Nach der Anschrift des Kindes ist Jugendamt Dortmund"))
    ).to_be_visible()
    expect(page.get_by_label("dringend")).not_to_be_checked()
    page.get_by_label("dringend").check()
    page.get_by_label("Gewichtige Anhaltspunkte und Beobachtungen").fill(
        "Noah kam in dieser Woche dreimal ohne Frühstück; heute Striemen am linken Unterarm, "
        "er sagt, das dürfe er nicht erzählen."
    )
    page.get_by_label("Bereits ergriffene Maßnahmen zur Abwendung der Gefährdung").fill(
        "Beratung durch die insoweit erfahrene Fachkraft des Trägers am Vormittag."
    )
    page.get_by_label("Nein, der Hinweis unterblieb", exact=False).check()
    page.get_by_role("button", name="Mitteilung senden").click()
    expect(page.get_by_text(re.compile("warum der Hinweis an die Betroffenen"))).to_be_visible()
    page.get_by_label("Begründung, falls der Hinweis unterblieb").fill(
        "Noah fürchtet Schläge, wenn der Vater von der Mitteilung erfährt."
    )
    axe_check(page, "94-kita-report-form")
    page.get_by_role("button", name="Mitteilung senden").click()
    expect(page.get_by_text("Die Mitteilung ist an das Jugendamt gegangen.")).to_be_visible()
    report = YouthOfficeReport.objects.get(case=case)
    assert report.legal_basis == "sgb8_8a_4" and report.billing_code == ""
    mails = [m for m in smtp.messages if m["To"] == on_call.email and "§ 8a Abs. 4 SGB VIII" in m["Subject"]]
    assert mails, "the person on call was alerted by mail"

    # 2. The Jugendamt's person on call: the alert, the intake, the report, receipt acknowledged.
    duty = signed_in(browser, browser_context_args, base, "t.schulz")
    duty.goto(f"{base}/meldungen/")
    row = duty.locator("tr", has_text=case.child.pseudonym)
    expect(row).to_contain_text("Mitteilung nach § 8a Abs. 4 SGB VIII (Kindertageseinrichtung (Kita))")
    duty.goto(f"{base}/nachrichten/")
    alert = duty.locator(".kern-card", has_text="Mitteilung nach § 8a Abs. 4 SGB VIII (dringend").first
    expect(alert).to_contain_text(case.child.pseudonym)
    alert.get_by_role("link", name="Öffnen").click()
    expect(duty.get_by_role("heading", name="Mitteilung nach § 8a Abs. 4 SGB VIII")).to_be_visible()
    expect(duty.get_by_text("Noah Petersen")).to_be_visible()
    expect(duty.get_by_text(re.compile("Noah fürchtet Schläge"))).to_be_visible()
    axe_check(duty, "95-kita-report-received")
    duty.get_by_role("button", name="Eingang bestätigen und Fallführung übernehmen").click()
    expect(duty.get_by_text(re.compile("Eingang bestätigt. Ihre Organisation"))).to_be_visible()
    report.refresh_from_db()
    assert report.acknowledged_by == on_call

    # 3. The educator sees the receipt confirmed in the Kita's list of reports.
    page.goto(f"{base}/mitteilungen/")
    expect(page.get_by_role("link", name=re.compile(f"Fall {case.child.pseudonym}"))).to_be_visible()
    page.screenshot(path="var/screenshots/kita-report-sent.png", full_page=True)
