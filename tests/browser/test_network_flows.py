"""The network capabilities clicked through in the real Chromium, with axe-core on every page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from schutznetz.demo import DEMO_PASSWORD
from schutznetz.seed.loader import Seeded
from tests.browser.conftest import AxeChecker

pytestmark = pytest.mark.browser


def totp_code(key_hex: str) -> str:
    return str(TOTP(bytes.fromhex(key_hex)).token()).zfill(6)


def log_in(page: Page, base: str, username: str, axe_check: AxeChecker | None = None) -> None:
    page.goto(f"{base}/account/login/")
    if axe_check:
        axe_check(page, "01-login")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def test_login_with_totp_find_an_organisation_and_who_is_competent_for_44135(
    page: Page, live_server: Any, demo: Seeded, axe_check: AxeChecker
) -> None:
    base = live_server.url
    log_in(page, base, demo.totp_username, axe_check)

    expect(page.get_by_label("Sicherheitscode")).to_be_visible()
    axe_check(page, "02-login-totp")
    device = TOTPDevice.objects.get(user__username=demo.totp_username)
    page.get_by_label("Sicherheitscode").fill(totp_code(device.key))
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name=re.compile("Guten Tag"))).to_be_visible()
    axe_check(page, "03-start")

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Netzwerk").click()
    expect(page.get_by_role("heading", name="Netzwerkverzeichnis")).to_be_visible()
    axe_check(page, "04-directory")
    page.get_by_label("Art der Organisation").select_option(label="Klinik für Kinder- und Jugendpsychiatrie")
    expect(page.locator("#result-count")).to_have_text("1 Organisation gefunden")
    page.get_by_label("Art der Organisation").select_option(label="Alle Arten")
    # htmx updates the list while typing; a kind finds every organisation of it (the hotline is a
    # Kinderschutzzentrum too), a person finds their organisation.
    page.get_by_label("Suchbegriff").fill("Kinderschutzzentrum")
    expect(page.locator("#result-count")).to_have_text("2 Organisationen gefunden")
    page.get_by_label("Suchbegriff").fill("Ute Vogel")
    expect(page.locator("#result-count")).to_have_text("1 Organisation gefunden")
    expect(page.get_by_text("Gefunden: Ute Vogel")).to_be_visible()
    axe_check(page, "05-directory-search")
    page.get_by_role("link", name="Kinderschutzzentrum Dortmund (Demo)").click()
    expect(page.get_by_role("heading", name="Kinderschutzzentrum Dortmund (Demo)", level=1)).to_be_visible()
    expect(page.get_by_text("Ute Vogel").first).to_be_visible()
    axe_check(page, "06-organisation")

    page.get_by_role("link", name="Wer ist zuständig?").first.click()
    page.get_by_label("Postleitzahl").fill("44135")
    page.get_by_role("button", name="Zuständigkeit prüfen").click()
    result = page.get_by_role("region", name="Jugendamt Dortmund (Demo)")
    expect(result.get_by_role("link", name="Jugendamt Dortmund (Demo)")).to_be_visible()
    on_call = result.locator(".on-call-now")
    expect(on_call).to_have_count(1)
    expect(on_call.locator(".phone")).to_have_text(re.compile(r"0231 5000-\d{4}"))
    axe_check(page, "07-jurisdiction-44135")

    page.get_by_label("Postleitzahl").fill("44388")
    page.get_by_role("button", name="Zuständigkeit prüfen").click()
    expect(page.get_by_text("zwischen mehreren Jugendämtern aufgeteilt")).to_be_visible()
    axe_check(page, "08-jurisdiction-split")
    page.get_by_label("Bochum (Jugendamt Bochum (Demo))").check()  # the districts to choose from
    page.get_by_role("button", name="Zuständigkeit prüfen").click()
    expect(page.get_by_role("link", name="Jugendamt Bochum (Demo)")).to_be_visible()
    axe_check(page, "09-jurisdiction-municipality")

    # a postal code the network does not know: what to do now, not just "nothing stored"
    page.get_by_label("Postleitzahl").fill("99999")
    page.get_by_role("button", name="Zuständigkeit prüfen").click()
    now = page.get_by_role("region", name="Was Sie jetzt tun können")
    expect(now.get_by_role("link", name="110", exact=True)).to_have_attribute("href", "tel:110")
    expect(now.get_by_role("link", name="0800 19 210 00")).to_be_visible()
    expect(now.get_by_text("Jugendamt Dortmund (Demo), Kinderschutz-Bereitschaftsdienst")).to_be_visible()
    axe_check(page, "09b-jurisdiction-unknown")
    assert len(axe_check.checked) == 10


def test_coordinator_enrols_totp_and_maintains_the_organisation(
    page: Page, live_server: Any, demo: Seeded, axe_check: AxeChecker
) -> None:
    base = live_server.url
    log_in(page, base, "m.becker")  # coordinator of Jugendamt Dortmund, no second factor yet

    expect(page.get_by_role("heading", name="Zwei-Faktor-Authentifizierung einrichten")).to_be_visible()
    axe_check(page, "10-totp-setup-welcome")
    page.get_by_role("button", name="Weiter").click()
    secret = page.locator(".secret").inner_text().strip()
    qr = page.get_by_role("img", name="QR-Code zur Einrichtung der Authenticator-App")
    expect(qr).to_have_js_property("complete", True)
    assert qr.evaluate("img => img.naturalWidth") > 0
    axe_check(page, "11-totp-setup-qr")
    import base64

    page.get_by_label("Sicherheitscode aus der Authenticator-App").fill(
        totp_code(base64.b32decode(secret).hex())
    )
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("heading", name="Zwei-Faktor-Authentifizierung eingerichtet")).to_be_visible()
    axe_check(page, "11b-totp-setup-complete")
    page.get_by_role("link", name="Weiter zur Startseite").click()
    axe_check(page, "11c-start")

    page.get_by_role("link", name="Jugendamt Dortmund (Demo)").last.click()
    axe_check(page, "11d-organisation")
    page.get_by_role("link", name="Angaben bearbeiten").click()
    axe_check(page, "12-organisation-edit")
    page.get_by_label("Postleitzahl").fill("4413")
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.get_by_text("Bitte eine fünfstellige Postleitzahl angeben.")).to_be_visible()
    axe_check(page, "13-organisation-edit-error")
    page.get_by_label("Postleitzahl").fill("44135")
    page.get_by_label("Telefon (Zentrale)").fill("0231 5000-9999")
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.get_by_text("Die Angaben wurden gespeichert.")).to_be_visible()
    expect(page.get_by_role("link", name="0231 5000-9999").first).to_be_visible()
    axe_check(page, "13a-organisation-saved")

    page.get_by_role("link", name="Angaben bearbeiten").click()
    channels = page.get_by_role("region", name="Kontaktwege")
    channels.get_by_label("Art", exact=True).select_option(label="Notruf / Bereitschaftsnummer")
    channels.get_by_label("Bezeichnung").fill("Kinderschutz-Hotline")
    channels.get_by_label("Kontakt", exact=True).fill("0800 5000 112")
    channels.get_by_role("button", name="Kontaktweg hinzufügen").click()
    expect(page.get_by_text("Der Kontaktweg wurde hinzugefügt.")).to_be_visible()

    units = page.get_by_role("region", name="Organisationseinheiten")
    units.get_by_label("Bezeichnung").fill("ASD Innenstadt-Ost")
    units.get_by_role("button", name="Einheit anlegen").click()
    expect(page.get_by_text("Die Organisationseinheit wurde angelegt.")).to_be_visible()
    member = page.get_by_role("form", name="Tobias Schulz")
    member.get_by_label("Organisationseinheit").select_option(label="ASD Innenstadt-Ost")
    member.get_by_label("Funktion").fill("Fachkraft ASD, Kinderschutzfachkraft")
    member.get_by_label("Beruf").select_option(label="insoweit erfahrene Fachkraft")
    member.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Angaben zu Tobias Schulz wurden gespeichert.")).to_be_visible()
    expect(page.get_by_role("form", name="Tobias Schulz").get_by_label("Beruf")).to_have_value(
        "child_protection_specialist"
    )
    axe_check(page, "13b-members")
    # A colleague with an account joins: named by user name and e-mail address.
    newcomer = get_user_model().objects.get(username="s.neumann")
    joining = page.get_by_role("form", name="Mitglied hinzufügen")
    joining.get_by_label("Benutzername").fill("s.neumann")
    joining.get_by_label("E-Mail-Adresse des Kontos").fill("falsch@example.org")
    joining.get_by_role("button", name="Mitglied hinzufügen").click()
    expect(page.get_by_text("Es gibt kein aktives Benutzerkonto mit diesem Benutzernamen")).to_be_visible()
    joining = page.get_by_role("form", name="Mitglied hinzufügen")
    joining.get_by_label("E-Mail-Adresse des Kontos").fill(newcomer.email)
    joining.get_by_label("Funktion").fill("Fachkraft ASD (Abordnung)")
    joining.get_by_role("button", name="Mitglied hinzufügen").click()
    expect(page.get_by_text("Die Person wurde als Mitglied eingetragen")).to_be_visible()
    expect(page.get_by_role("form", name="Stefan Neumann")).to_be_visible()
    axe_check(page, "13c-member-added")

    page.goto(f"{base}/")
    page.get_by_role("link", name="Jugendamt Dortmund (Demo)").last.click()
    page.get_by_role("link", name="Dienstplan der Rufbereitschaft").click()
    axe_check(page, "14-on-call-plan")
    page.get_by_label("Person").select_option(label="Julia Hoffmann")
    page.get_by_label("Beginn").fill("2099-01-02T08:00")
    page.get_by_label("Ende").fill("2099-01-02T07:00")
    page.get_by_role("button", name="Dienst eintragen").click()
    expect(page.get_by_text("Das Ende des Dienstes muss nach dessen Beginn liegen.")).to_be_visible()
    axe_check(page, "15-on-call-plan-error")
    page.get_by_label("Ende").fill("2099-01-02T20:00")
    page.get_by_role("button", name="Dienst eintragen").click()
    expect(page.get_by_text("Der Dienst wurde eingetragen.")).to_be_visible()
    axe_check(page, "15b-on-call-plan-saved")

    page.goto(f"{base}/")
    page.get_by_role("link", name="Jugendamt Dortmund (Demo)").last.click()
    page.get_by_label("Postleitzahl").fill("44787")
    page.get_by_role("button", name="Gebiet hinzufügen").click()
    expect(page.get_by_text("ist bereits Jugendamt Bochum (Demo) als zuständig hinterlegt")).to_be_visible()
    axe_check(page, "16-jurisdiction-area-overlap")
    page.get_by_label("Postleitzahl").fill("44149")
    page.get_by_role("button", name="Gebiet hinzufügen").click()
    expect(page.get_by_text("Das Zuständigkeitsgebiet wurde hinterlegt.")).to_be_visible()
    axe_check(page, "16b-jurisdiction-area-added")

    page.get_by_role("link", name="Mein Konto").click()
    axe_check(page, "17a-profile")
    tokens = page.get_by_role("region", name="Zugang zur REST-Schnittstelle")
    tokens.get_by_label("Bezeichnung").fill("Fachverfahren Jugendamt")
    tokens.get_by_role("button", name="API-Token erzeugen").click()
    token = page.locator("#api-token").inner_text().strip()
    axe_check(page, "17-profile-token")
    url = f"{base}/api/v1/jurisdiction/?postal_code=44149"
    response = page.request.get(url, headers={"Authorization": f"Token {token}"})
    assert response.json()["youth_office"]["name"] == "Jugendamt Dortmund (Demo)"
    page.get_by_role("link", name="Mein Konto").click()
    expect(page.get_by_text(token)).to_have_count(0)  # shown once only
    page.get_by_role("button", name="Widerrufen: Fachverfahren Jugendamt").click()
    expect(page.get_by_text("wurde widerrufen")).to_be_visible()
    assert page.request.get(url, headers={"Authorization": f"Token {token}"}).status == 401


def test_keyboard_user_skips_the_navigation_and_searches_the_directory(
    page: Page, live_server: Any, demo: Seeded
) -> None:
    log_in(page, live_server.url, demo.totp_username)
    device = TOTPDevice.objects.get(user__username=demo.totp_username)
    page.get_by_label("Sicherheitscode").fill(totp_code(device.key))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Guten Tag"))).to_be_visible()
    page.goto(f"{live_server.url}/netzwerk/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Kooperationsvereinbarungen")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Suchbegriff")).to_be_focused()
    page.keyboard.type("Polizei")
    expect(page.locator("#result-count")).to_have_text("1 Organisation gefunden")


def test_coordinator_records_a_cooperation_agreement_with_clauses(
    page: Page, live_server: Any, demo: Seeded, axe_check: AxeChecker
) -> None:
    log_in(page, live_server.url, demo.totp_username)
    device = TOTPDevice.objects.get(user__username=demo.totp_username)
    page.get_by_label("Sicherheitscode").fill(totp_code(device.key))
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Netzwerk").click()
    page.get_by_role("link", name="Kooperationsvereinbarungen").click()
    expect(page.get_by_role("link", name=re.compile("Medizinischer Kinderschutz"))).to_be_visible()
    axe_check(page, "30-agreements")
    page.get_by_role("link", name="Neue Vereinbarung erfassen").click()
    page.get_by_label("Bezeichnung").fill("Sprechstunde der Jugendhilfe in der Praxis")
    parties = page.get_by_role("group", name="Vertragsparteien")
    parties.get_by_label("Kinderarztpraxis Dr. Yılmaz (Demo)").check()
    parties.get_by_label("Jugendamt Dortmund (Demo)").check()
    page.get_by_label("gültig ab").fill("2026-01-01")
    first = page.get_by_role("group", name="Regelung 1")
    first.get_by_label("Art der Übergabe").select_option(label="Teilnahme an einer Fallkonferenz")
    first.get_by_label("Dringlichkeit").select_option(label="regulär")
    first.get_by_label("verantwortlich").select_option(label="Jugendamt Dortmund (Demo)")
    first.get_by_label("Reaktionszeit").fill("2")
    first.get_by_label("Einheit").select_option(label="Arbeitstage")
    first.get_by_label("Kontaktweg").fill("Rufbereitschaft des ASD")
    axe_check(page, "31-agreement-form")
    page.get_by_role("button", name="Vereinbarung speichern").click()
    expect(page.get_by_text("Die Kooperationsvereinbarung wurde gespeichert.")).to_be_visible()
    expect(page.get_by_role("cell", name="2 Arbeitstage")).to_be_visible()
    axe_check(page, "32-agreement")


def test_knowledge_search_in_german(
    page: Page, live_server: Any, demo: Seeded, axe_check: AxeChecker
) -> None:
    log_in(page, live_server.url, demo.totp_username)
    device = TOTPDevice.objects.get(user__username=demo.totp_username)
    page.get_by_label("Sicherheitscode").fill(totp_code(device.key))
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Wissen").click()
    page.get_by_label("Suchbegriff").fill("Misshandlung")
    page.get_by_role("button", name="Suchen").click()
    result = page.locator("article", has_text="Sentinel-Verletzungen bei Säuglingen")
    expect(result.locator("mark").first).to_contain_text("Misshandlung")
    expect(result).to_contain_text("Misshandlungen")
    axe_check(page, "33-knowledge-search")
    result.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Sentinel-Verletzungen bei Säuglingen")).to_be_visible()
    axe_check(page, "34-knowledge-article")

    # German forms, paragraphs and synonyms: the same stems on SQLite and PostgreSQL.
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    nav.get_by_role("link", name="Wissen").click()
    topics = page.get_by_role("region", name="Artikel nach Themen")
    expect(topics.get_by_role("region", name=re.compile("^Medizin"))).to_contain_text("TEN-4-FACESp")
    for query, title in [
        ("vernachlässigt", "Vernachlässigung erkennen"),
        ("§ 8a", "Schutzauftrag der Einrichtungen (§ 8a SGB VIII)"),
        ("ISEF", "Insoweit erfahrene Fachkraft: Beratung anfragen"),
    ]:
        # As a link to a search would open it (typing is walked above and below).
        page.goto(f"{live_server.url}/wissen/?{urlencode({'q': query})}")
        expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
        expect(page.locator("#results mark").first).to_be_visible()

    # The practice's coordinator teaches the search a word of the everyday language.
    page.get_by_role("link", name="Synonyme der Suche").click()
    page.get_by_label("Begriffe, die dasselbe bedeuten").fill("Hämatom, blauer Fleck")
    axe_check(page, "35-knowledge-synonyms")
    page.get_by_role("button", name="Hinzufügen").click()
    expect(page.get_by_text("Die Synonyme gelten ab sofort für die Suche.")).to_be_visible()
    page.get_by_role("link", name="Zurück zur Wissensdatenbank").click()
    page.get_by_label("Suchbegriff").fill("blauer Fleck")
    page.get_by_role("button", name="Suchen").click()
    ten4 = page.get_by_role("link", name="TEN-4-FACESp: Hämatome bei Kindern unter vier Jahren")
    expect(ten4).to_be_visible()
