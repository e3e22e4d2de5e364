"""The medical pathway end to end, across four logins, each in their own browser: the paediatrician
documents a bruised cheek of a 7-month-old, records the talk with the mother, consults the
Kinderschutzzentrum pseudonymised and reports to the Jugendamt (§ 4 Abs. 3 KKG); the Jugendamt's person
on call is alerted and acknowledges; the Jugendamt worker involves the doctor and gives the § 4 Abs. 4
feedback, which the doctor reads. Mail goes to a local SMTP server; nothing identifying reaches the
specialist, in pages, API responses or mails."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from schutznetz.accounts.models import User
from schutznetz.cases import queries
from schutznetz.cases.services import guardian_add
from schutznetz.medical.models import YouthOfficeReport
from schutznetz.network.models import Membership, OnCallShift
from schutznetz.people.identity import GuardianIdentity
from schutznetz.seed.loader import Seeded
from tests import factories as f
from tests.browser.conftest import AxeChecker
from tests.browser.test_case_flow import signed_in
from tests.browser.test_findings_flow import document_bruised_cheek
from tests.medical.conftest import born_months_ago
from tests.smtp import Inbox, body

pytestmark = pytest.mark.browser

BORN = born_months_ago(7)
# What identifies Ella or her mother: none of it may reach the specialist.
IDENTIFYING = (
    "Ella",
    "Sommerfeld",
    "Larissa",
    "Lindenhof",
    "0172 5556677",
    f"{BORN[8:10]}.{BORN[5:7]}.{BORN[:4]}",
    BORN,
    "Gitterbettkante",  # the history as the mother told it
)


def _case(doctor: User) -> Any:
    practice = Membership.objects.get(user=doctor, is_active=True).organisation
    case = f.make_case(
        doctor,
        practice,
        identity=f.child_identity(given="Ella", family="Sommerfeld", born=BORN, street="Am Lindenhof 4"),
        title="Hämatom an der Wange bei der U5",
    )
    guardian_add(
        actor=doctor,
        access=queries.case_get_for(doctor, case.pk),
        relation="custodial_parent",
        identity=GuardianIdentity("Larissa", "Sommerfeld", "0172 5556677", "Am Lindenhof 4, 44135 Dortmund"),
    )
    return case


def _on_call_now(username: str) -> User:
    """The Jugendamt's roster, as it stands now: ``username`` is on call."""
    member = Membership.objects.select_related("organisation").get(user__username=username, is_active=True)
    now = timezone.now()
    OnCallShift.objects.filter(
        organisation=member.organisation, starts_at__lte=now, ends_at__gt=now, cancelled_at=None
    ).update(cancelled_at=now)
    f.make_shift(User.objects.get(username="m.becker"), member, now - timedelta(hours=1), hours=8)
    return member.user


def _no_identity(where: str, text: str) -> None:
    found = [item for item in IDENTIFYING if item in text]
    assert not found, f"{where} shows {found}"


def test_paediatrician_reports_and_the_youth_office_acknowledges_involves_and_answers(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    smtp: Inbox,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    case = _case(User.objects.get(username="dr.yilmaz"))
    on_call = _on_call_now("t.schulz")

    # 1. The paediatrician: findings on the body map, advice with reasons, the talk with the mother.
    doctor = signed_in(browser, browser_context_args, base, "dr.yilmaz")
    doctor.goto(f"{base}/faelle/{case.pk}/")
    expect(doctor.locator("section#befunde").get_by_text("Noch keine ärztliche")).to_be_visible()
    document_bruised_cheek(doctor, axe_check)
    doctor.goto(f"{base}/faelle/{case.pk}/")
    doctor.locator("section#befunde").get_by_role("link", name="Gespräch festhalten").click()
    doctor.get_by_label("Ja, Gespräch geführt").check()
    doctor.get_by_label("Gespräch am").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    doctor.get_by_label("Gesprächsteilnehmende").fill("Mutter")
    doctor.get_by_label("Ergebnis des Gesprächs").fill(
        "Mutter über die Befunde und die weitere Abklärung informiert."
    )
    doctor.get_by_role("button", name="Festhalten").click()
    expect(doctor.get_by_text(re.compile("mit Mutter: Mutter über die Befunde"))).to_be_visible()

    # 2. Pseudonymised consultation with the Kinderschutzzentrum.
    doctor.locator("section#befunde").get_by_role("link", name="Fachberatung anfragen").click()
    doctor.get_by_label("Fachstelle").select_option(
        label="Kinderschutzzentrum Dortmund (Demo) (Kinderschutzzentrum)"
    )
    doctor.get_by_label("Fragestellung (pseudonymisiert)").fill(
        "Säugling, 7 Monate, nicht mobil, frisches Hämatom an der linken Wange. Mitteilung an das Jugendamt?"
    )
    doctor.get_by_role("button", name="Anfrage senden").click()
    expect(doctor.get_by_text("Die Anfrage ist an die Fachstelle gegangen.")).to_be_visible()

    specialist = signed_in(browser, browser_context_args, base, "u.vogel")
    seen: list[tuple[str, str]] = []
    specialist.goto(f"{base}/faelle/einladungen/")
    seen.append(("Einladungen", specialist.content()))
    specialist.locator(".kern-card", has_text=case.child.pseudonym).get_by_role(
        "button", name="Annehmen"
    ).click()
    specialist.goto(f"{base}/faelle/{case.pk}/")
    section = specialist.locator("section#beratung")
    expect(section.get_by_text("TEN-4-FACESp: positiv")).to_be_visible()
    seen.append(("Fallseite", specialist.content()))
    section.get_by_label("Antwort").fill(
        "Gewichtige Anhaltspunkte; Mitteilung an das Jugendamt und Skelettscreening."
    )
    section.get_by_role("button", name="Antworten").click()
    expect(specialist.get_by_text("Die Antwort ist im Fallverlauf")).to_be_visible()
    seen.append(("nach der Antwort", specialist.content()))
    for url in (
        f"/api/v1/cases/{case.pk}/",
        f"/api/v1/cases/{case.pk}/consultations/",
        f"/api/v1/cases/{case.pk}/consultations/findings/",
        "/api/v1/reports/",
    ):
        response = specialist.request.get(f"{base}{url}")
        seen.append((url, f"{response.status} {response.text()}"))
    specialist.goto(f"{base}/nachrichten/")
    seen.append(("Nachrichten", specialist.content()))
    specialist_mail = User.objects.get(username="u.vogel").email
    mails = [m for m in smtp.messages if m["To"] == specialist_mail]
    assert mails, "the specialist's coordination was told of the request by mail"
    seen += [(f"Mail {m['Subject']}", m["Subject"] + body(m)) for m in mails]
    for where, text in seen:
        _no_identity(f"specialist: {where}", text)
    assert any(case.child.pseudonym in text for _, text in seen)  # the pseudonym is what they see

    # 3. The report to the Jugendamt: the competent one comes from the child's address.
    doctor.goto(f"{base}/faelle/{case.pk}/")
    doctor.locator("section#mitteilung").get_by_role(
        "link", name="Mitteilung an das Jugendamt verfassen"
    ).click()
    expect(
        doctor.get_by_text(re.compile("Nach der Anschrift des Kindes ist Jugendamt Dortmund"))
    ).to_be_visible()
    expect(doctor.get_by_label("Jugendamt", exact=True)).to_have_value(
        str(Membership.objects.get(user=on_call, is_active=True).organisation_id)
    )
    doctor.get_by_label("dringend").check()
    doctor.get_by_label("Gewichtige Anhaltspunkte und Beobachtungen").fill(
        "Frisches Hämatom an der linken Wange bei einem noch nicht mobilen Säugling; Hergang nicht plausibel."
    )
    doctor.get_by_label("Bereits ergriffene Maßnahmen zur Abwendung der Gefährdung").fill(
        "Vorstellung in der Kinderschutzambulanz veranlasst."
    )
    doctor.get_by_label("Weitere bereits beteiligte Stellen").fill(
        "Kinderschutzzentrum (pseudonymisierte Beratung)"
    )
    doctor.get_by_label("Nein, der Hinweis unterblieb", exact=False).check()
    doctor.get_by_label("Begründung, falls der Hinweis unterblieb").fill(
        "Der Verdacht richtet sich gegen die Mutter; ein Hinweis könnte den Schutz des Säuglings gefährden."
    )
    axe_check(doctor, "64-report-form")
    doctor.get_by_role("button", name="Mitteilung senden").click()
    expect(doctor.get_by_text("Die Mitteilung ist an das Jugendamt gegangen.")).to_be_visible()
    expect(doctor.get_by_text("Eingang noch nicht bestätigt.")).to_be_visible()
    report = YouthOfficeReport.objects.get(case=case)
    duty = [m for m in smtp.messages if m["To"] == "kontakt@jugendamtdortmund.demo.invalid"]
    assert duty and f"/mitteilungen/{report.pk}/" in body(duty[0])
    on_call_mail = [m for m in smtp.messages if m["To"] == on_call.email and "§ 4 Abs. 3 KKG" in m["Subject"]]
    assert on_call_mail, "the person on call was alerted by mail"
    for message in [*duty, *on_call_mail]:
        _no_identity(f"mail to {message['To']}", message["Subject"] + body(message))

    # 4. The Jugendamt's person on call: the alert in the inbox, the report, receipt acknowledged.
    duty_page = signed_in(browser, browser_context_args, base, "t.schulz")
    duty_page.goto(f"{base}/nachrichten/")
    alert = duty_page.locator(".kern-card", has_text="Mitteilung nach § 4 Abs. 3 KKG (dringend").first
    expect(alert).to_contain_text(case.child.pseudonym)
    alert.get_by_role("link", name="Öffnen").click()
    expect(duty_page.get_by_role("heading", name="Mitteilung nach § 4 Abs. 3 KKG")).to_be_visible()
    expect(duty_page.get_by_text("Ella Sommerfeld")).to_be_visible()
    expect(duty_page.get_by_text(re.compile("Larissa Sommerfeld"))).to_be_visible()
    axe_check(duty_page, "65-report-received")
    duty_page.get_by_role("button", name="Eingang bestätigen und Fallführung übernehmen").click()
    expect(duty_page.get_by_text(re.compile("Eingang bestätigt. Ihre Organisation"))).to_be_visible()

    # 5. The Jugendamt worker: involves the doctor in the risk assessment and gives the feedback.
    worker = signed_in(browser, browser_context_args, base, "j.hoffmann")
    worker.goto(f"{base}/mitteilungen/")
    worker.get_by_role("link", name=case.child.pseudonym).click()
    worker.get_by_label("Mitwirkung bis").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    worker.get_by_role("button", name="Beteiligen").click()
    expect(
        worker.get_by_text("Die meldende Stelle ist an der Gefährdungseinschätzung beteiligt.")
    ).to_be_visible()
    feedback = worker.locator(
        "section", has=worker.get_by_role("heading", name="Rückmeldung geben (§ 4 Abs. 4 KKG)")
    )
    feedback.get_by_label("ja", exact=True).first.check()
    feedback.locator("input[name='feedback-became_active'][value='ja']").check()
    feedback.locator("input[name='feedback-still_active'][value='ja']").check()
    feedback.get_by_label("Für Rückfragen erreichen Sie das Jugendamt").check()
    feedback.get_by_label("Rückrufnummer").fill("0231 50-12345")
    axe_check(worker, "66-report-feedback-form")
    feedback.get_by_role("button", name="Rückmeldung senden").click()
    expect(worker.get_by_text("Die Rückmeldung ist an die meldende Stelle gegangen.")).to_be_visible()

    # 6. The doctor reads the feedback and has the Jugendamt's task in the case.
    doctor.goto(f"{base}/mitteilungen/")
    answered = doctor.locator("section", has=doctor.get_by_role("heading", name="Rückmeldung ausstehend"))
    answered.get_by_role("link", name=re.compile(f"Fall {case.child.pseudonym}")).click()
    expect(doctor.locator("dt", has_text="Jugendamt noch tätig")).to_be_visible()
    expect(doctor.get_by_role("link", name="0231 5012345")).to_be_visible()
    axe_check(doctor, "67-report-feedback-reporter")
    doctor.goto(f"{base}/faelle/{case.pk}/")
    expect(
        doctor.get_by_role("heading", name=re.compile("An der Gefährdungseinschätzung des Jugendamts"))
    ).to_be_visible()
    expect(
        doctor.get_by_text(re.compile("Jugendamt Dortmund \\(Demo\\) übernimmt die Fallführung")).first
    ).to_be_visible()
    _assert_pages_fit(doctor)


def _assert_pages_fit(page: Page) -> None:
    """No horizontal scrolling on the report pages at desktop width."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
