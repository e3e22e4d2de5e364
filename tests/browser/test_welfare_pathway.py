"""The youth-welfare pathway end to end, as the Jugendamt Dortmund and its partners work it: a school's
report → a risk assessment two professionals sign (latent endangerment; the author alone cannot make it
count) → a safety plan → a case conference with the paediatric practice and the care provider → minutes
as PDF → decisions in each owner's "Meine Aufgaben" → a § 36 help plan that the child-psychiatry clinic
joins after discharge."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from schutznetz.seed.loader import Seeded
from tests.browser.conftest import AxeChecker
from tests.browser.test_case_flow import open_form, signed_in

pytestmark = pytest.mark.browser


def _accept_invitation(page: Page, base: str) -> None:
    page.goto(f"{base}/faelle/einladungen/")
    page.get_by_role("button", name="Annehmen").first.click()
    expect(page.get_by_role("heading", name="Ben Fischer", level=1)).to_be_visible()


def test_school_report_to_help_plan(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    today = timezone.localdate()

    # 1. The school's report arrives at the Jugendamt Dortmund (Demo) and opens a case.
    worker = signed_in(browser, browser_context_args, base, "t.schulz")
    worker.goto(f"{base}/meldungen/neu/")
    worker.get_by_label("Bekannt geworden durch").select_option(label="Schule")
    worker.get_by_label("Was wurde mitgeteilt?").fill(
        "Ben kommt seit Wochen ohne Frühstück, im Winter ohne Jacke; er hat Striemen am Unterarm."
    )
    worker.get_by_label("Name der meldenden Person").fill("Schulsozialarbeit")
    worker.get_by_label("Meldende Einrichtung im Netzwerk").select_option(
        label="Gesamtschule Nordstadt (Demo)"
    )
    worker.get_by_label("Familienname des Kindes").fill("Fischer")
    worker.get_by_label("Vorname des Kindes").fill("Ben")
    worker.get_by_label("Geburtsdatum").fill("2015-04-11")
    worker.get_by_role("button", name="Meldung aufnehmen").click()
    expect(worker.get_by_text("Die Meldung ist aufgenommen.")).to_be_visible()
    worker.get_by_role("link", name=re.compile("Zum Fall|Fall K-")).first.click()
    expect(worker.get_by_role("heading", name="Ben Fischer", level=1)).to_be_visible()
    case_url = worker.url.split("#")[0]

    # 2. The risk assessment: the author signs; it counts only with a second professional.
    worker.locator("section#gefaehrdungseinschaetzung").get_by_role(
        "link", name="Gefährdungseinschätzung erfassen"
    ).click()
    worker.get_by_label("Grundversorgung", exact=True).select_option("not_assured")
    worker.get_by_label("latente Kindeswohlgefährdung").check()
    worker.get_by_label("Vernachlässigung").check()
    worker.get_by_label("körperliche Misshandlung").check()
    worker.get_by_label("Vater", exact=True).check()
    worker.get_by_role("button", name="Speichern und unterzeichnen").click()
    section = worker.locator("section#gefaehrdungseinschaetzung")
    expect(
        section.get_by_text(re.compile("wartet auf die Unterschrift einer zweiten Fachkraft"))
    ).to_be_visible()
    expect(section.get_by_role("button", name="Als zweite Fachkraft unterzeichnen")).to_have_count(0)
    colleague = signed_in(browser, browser_context_args, base, "j.hoffmann")
    colleague.goto(case_url)
    colleague.locator("section#gefaehrdungseinschaetzung").get_by_role(
        "button", name="Als zweite Fachkraft unterzeichnen"
    ).click()
    expect(
        colleague.locator("section#gefaehrdungseinschaetzung").get_by_text(re.compile("von 2 Fachkräften"))
    ).to_be_visible()

    # 3. The safety plan, with a deadline.
    worker.goto(case_url)
    worker.locator("section#schutz").get_by_role("link", name="Schutzplan vereinbaren").click()
    worker.get_by_label("Vereinbart mit", exact=False).fill("Mutter")
    worker.get_by_label("Maßnahme 1: Beschreibung").fill(
        "Ben frühstückt vor der Schule; die Schule meldet Auffälligkeiten"
    )
    worker.get_by_label("Maßnahme 1: verantwortlich (Person oder Stelle)").fill("Mutter; Schule")
    worker.get_by_label("Maßnahme 1: nachgehalten von").select_option(label="Tobias Schulz")
    worker.get_by_label("Maßnahme 1: Frist").fill((today + timedelta(days=7)).isoformat())
    worker.get_by_label("Maßnahme 1: Überprüfung am").fill((today + timedelta(days=14)).isoformat())
    worker.get_by_role("button", name="Schutzplan speichern").click()
    expect(worker.get_by_text(re.compile("Der Schutzplan ist gespeichert"))).to_be_visible()

    # 4. The paediatric practice and the care provider are asked into the case and accept.
    for organisation, role, basis in (
        ("Kinderarztpraxis Dr. Yılmaz (Demo)", "Medizinische Diagnostik und Behandlung", "sgb8_65"),
        ("Familienhilfe Ruhr e. V. (Demo)", "Leistungserbringer (freier Träger)", "sgb8_8a_4"),
    ):
        open_form(worker, "Organisation beteiligen …")
        invite = worker.locator("form[action$='/beteiligte/']")
        invite.get_by_label("Organisation").select_option(label=organisation)
        invite.get_by_label("Rolle im Fall").select_option(label=role)
        invite.get_by_label("Rechtsgrundlage").select_option(value=basis)
        invite.get_by_role("button", name="Einladen").click()
        expect(worker.get_by_text("Die Einladung wurde verschickt.")).to_be_visible()
    doctor = signed_in(browser, browser_context_args, base, "dr.yilmaz")
    _accept_invitation(doctor, base)
    provider = signed_in(browser, browser_context_args, base, "f.meyer")
    _accept_invitation(provider, base)

    # 5. The case conference: planned (it began an hour ago), minutes with decisions, as PDF.
    worker.goto(case_url)
    worker.locator("section#fallkonferenzen").get_by_role("link", name="Fallkonferenz planen").click()
    start = timezone.localtime() - timedelta(hours=1)
    worker.get_by_label("Beginn").fill(start.strftime("%Y-%m-%dT%H:%M"))
    worker.get_by_label("Ende").fill((start + timedelta(minutes=45)).strftime("%Y-%m-%dT%H:%M"))
    worker.get_by_label("per Video").check()
    worker.get_by_label("Tagesordnung").fill(
        "1. Ergebnis der Gefährdungseinschätzung\n2. Schutzplan\n3. Hilfen"
    )
    worker.get_by_label(re.compile("Yılmaz")).check()
    worker.get_by_label("Frank Meyer").check()
    axe_check(worker, "80-conference-form")
    worker.get_by_role("button", name="Fallkonferenz planen").click()
    expect(worker.get_by_text(re.compile("Die Fallkonferenz ist geplant"))).to_be_visible()
    worker.get_by_role("link", name="Protokoll erfassen").click()
    worker.get_by_label(re.compile(r"Yılmaz.*: anwesend")).check()
    worker.get_by_label(re.compile(r"Yılmaz.*: Dauer der Teilnahme")).fill("40")
    worker.get_by_label(re.compile(r"Frank Meyer.*: anwesend")).check()
    worker.get_by_label(re.compile(r"Tobias Schulz.*: anwesend")).check()
    worker.get_by_label("Protokoll", exact=True).fill(
        "Die Mutter ist zur Mitarbeit bereit. Die Praxis kontrolliert Gewicht und Verletzungen."
    )
    worker.get_by_label("Beschluss 1: Inhalt").fill("Sozialpädagogische Familienhilfe vorbereiten")
    worker.get_by_label("Beschluss 1: verantwortlich").select_option(label="Frank Meyer")
    worker.get_by_label("Beschluss 1: Frist").fill((today + timedelta(days=10)).isoformat())
    worker.get_by_label("Beschluss 2: Inhalt").fill("Kinderärztliche Kontrolle von Gewicht und Haut")
    worker.get_by_label("Beschluss 2: verantwortlich").select_option(label="Dr. med. Elif Yılmaz")
    worker.get_by_label("Beschluss 2: Frist").fill((today + timedelta(days=14)).isoformat())
    axe_check(worker, "81-minutes-form")
    worker.get_by_role("button", name="Protokoll speichern").click()
    expect(worker.get_by_text(re.compile("Das Protokoll ist gespeichert"))).to_be_visible()
    expect(worker.get_by_text(re.compile("EBM 01682: 4×"))).to_be_visible()
    axe_check(worker, "82-conference")
    pdf_link = worker.get_by_role("link", name="Protokoll als PDF")
    pdf = worker.request.get(base + (pdf_link.get_attribute("href") or ""))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # 6. The decisions are tasks in each owner's "Meine Aufgaben".
    for page, title in (
        (provider, "Fallkonferenz: Sozialpädagogische Familienhilfe vorbereiten"),
        (doctor, "Fallkonferenz: Kinderärztliche Kontrolle von Gewicht und Haut"),
    ):
        page.goto(f"{base}/aufgaben/")
        expect(page.get_by_text(title)).to_be_visible()
    axe_check(doctor, "83-decision-task")

    # 7. The § 36 help plan; after discharge the child-psychiatry clinic joins on consent.
    worker.goto(case_url)
    worker.locator("section#hilfeplan").get_by_role("link", name="Hilfeplan aufstellen").click()
    worker.get_by_label("Hilfeart").select_option(label="Sozialpädagogische Familienhilfe (§ 31 SGB VIII)")
    worker.get_by_label("Ziele der Hilfe").fill("Verlässliche Versorgung; gewaltfreie Erziehung.")
    worker.get_by_label("Leistungserbringer").select_option(label="Familienhilfe Ruhr e. V. (Demo)")
    worker.get_by_label("Nächste Überprüfung").fill((today + timedelta(days=90)).isoformat())
    worker.get_by_label("Das Kind bzw. der/die Jugendliche hat an der Hilfeplanung mitgewirkt").check()
    worker.get_by_label("Beteiligte Personensorgeberechtigte (oder warum nicht beteiligt)").fill("Mutter")
    worker.get_by_role("button", name="Hilfeplan aufstellen").click()
    expect(worker.get_by_text(re.compile("Der Hilfeplan ist aufgestellt"))).to_be_visible()
    worker.locator("section#hilfeplan").get_by_role("link", name="Klinik nach Entlassung beteiligen").click()
    worker.get_by_label("Klinik für Kinder- und Jugendpsychiatrie").select_option(
        label="Klinik für Kinder- und Jugendpsychiatrie Dortmund (Demo)"
    )
    worker.get_by_label("Entlassen am").fill(today.isoformat())
    worker.get_by_label("Einwilligung erteilt am").fill(today.isoformat())
    worker.get_by_label("Einwilligung erteilt von", exact=False).fill("Mutter")
    worker.get_by_role("button", name="Klinik beteiligen").click()
    plan = worker.locator("section#hilfeplan")
    expect(plan.get_by_text(re.compile("wirkt mit seit der Entlassung"))).to_be_visible()
    axe_check(worker, "84-help-plan")
