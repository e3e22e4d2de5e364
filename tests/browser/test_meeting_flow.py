"""A round table clicked through in the real Chromium: scheduled, minuted, an action item agreed
that appears in the owner's "Meine Aufgaben", where the owner completes it; moved by a day, its
calendar entry replaces the old one."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Browser, expect

from schutznetz.meetings.services import MSG_CHILD_DATA
from schutznetz.seed.loader import Seeded
from tests.browser.conftest import SCREENSHOTS, AxeChecker
from tests.browser.test_case_flow import nav, signed_in

pytestmark = pytest.mark.browser


def test_round_table_action_item_reaches_the_owners_tasks(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    day = timezone.localdate() + timedelta(days=7)
    page = signed_in(browser, browser_context_args, base, "koordination")
    nav(page, "Treffen")
    expect(page.get_by_role("heading", name="Netzwerktreffen", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Arbeitskreis Kinderschutz Dortmund")).to_be_visible()
    axe_check(page, "40-meetings")

    page.get_by_role("link", name="Neues Treffen anlegen").click()
    page.get_by_label("Einladende Organisation", exact=True).select_option(label="Jugendamt Dortmund (Demo)")
    page.get_by_label("Art", exact=True).select_option(label="Runder Tisch")
    page.get_by_label("Titel", exact=True).fill("Runder Tisch Frühe Hilfen Nordstadt")
    page.get_by_label("Beginn", exact=True).fill(f"{day:%Y-%m-%d}T14:00")
    page.get_by_label("Ende", exact=True).fill(f"{day:%Y-%m-%d}T13:00")
    page.get_by_label("Ort", exact=True).fill("Jugendamt Dortmund, Raum 2.14")
    page.get_by_label("Tagesordnung").fill("1. Vorstellung der Familienhebammen\n2. Sprechstunden in Praxen")
    # The invitee picker: a person by name, and a whole team, found as one types; Enter searches
    # and does not send the form.
    search = page.get_by_label("Person, Team oder Organisation suchen")
    search.fill("Schneider")
    page.get_by_role("button", name=re.compile("^Maria Schneider Person")).click()
    expect(page.get_by_role("checkbox", name=re.compile("^Maria Schneider \\(Person"))).to_be_checked()
    expect(search).to_be_focused()
    search.fill("Inobhut")
    search.press("Enter")
    option = page.get_by_role("button", name=re.compile("^Inobhutnahme-Gruppe – Jugendhilfe Westfalen"))
    expect(option).to_contain_text("2 Personen")
    page.screenshot(path=str(SCREENSHOTS / "42-invitee-picker.png"), full_page=True)
    option.click()
    page.get_by_role("button", name="Treffen anlegen und einladen").click()
    expect(page.get_by_text("Das Ende muss nach dem Beginn liegen.")).to_be_visible()
    # the picks survive the error
    expect(page.get_by_role("checkbox", name=re.compile("^Inobhutnahme-Gruppe"))).to_be_checked()
    axe_check(page, "41-meeting-form-error")
    page.get_by_label("Ende", exact=True).fill(f"{day:%Y-%m-%d}T16:00")
    page.get_by_role("button", name="Treffen anlegen und einladen").click()
    expect(page.get_by_text("Das Treffen ist angelegt")).to_be_visible()
    for name in ("Maria Schneider", "Ralf Krause", "Eva Hahn"):
        expect(page.get_by_role("cell", name=name)).to_be_visible()
    meeting_url = page.url

    page.get_by_role("textbox", name=re.compile("^Protokoll")).fill(
        "TOP 1: Besprochen wurde Lea Neumann, geb. 05.05.2020."
    )
    page.get_by_role("button", name="Protokoll speichern").click()
    expect(page.get_by_text(MSG_CHILD_DATA.split(" (")[0])).to_be_visible()
    page.get_by_role("textbox", name=re.compile("^Protokoll")).fill(
        "TOP 1: Die Familienhebammen stellen ihr Angebot vor."
    )
    page.get_by_role("textbox", name=re.compile("^Beschlüsse")).fill(
        "Sprechstunden werden in zwei Praxen erprobt."
    )
    page.get_by_role("button", name="Protokoll speichern").click()
    expect(page.get_by_text("Das Protokoll ist gespeichert.")).to_be_visible()

    page.get_by_label("Aufgabe", exact=True).fill("Flyer der Familienhebammen in der Praxis auslegen")
    page.get_by_role("combobox", name="Zuständig").select_option(label="Maria Schneider")
    page.get_by_label("fällig am").fill(f"{day + timedelta(days=7):%Y-%m-%d}")
    page.get_by_role("button", name="Aufgabe anlegen").click()
    expect(page.get_by_text("steht bei der zuständigen Person in „Meine Aufgaben“")).to_be_visible()
    axe_check(page, "42-meeting")
    with page.expect_download() as download:
        page.get_by_role("link", name="Protokoll als PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # moved by a day: the invitees are told, and the calendar entry replaces the old one
    moved = day + timedelta(days=1)
    page.get_by_text("Termin oder Ort ändern").click()
    page.get_by_label("Neuer Beginn").fill(f"{moved:%Y-%m-%d}T14:00")
    page.get_by_label("Neues Ende").fill(f"{moved:%Y-%m-%d}T16:00")
    page.get_by_role("button", name="Treffen verlegen").click()
    expect(page.get_by_text("Das Treffen ist verlegt")).to_be_visible()

    page = signed_in(browser, browser_context_args, base, "m.schneider")
    nav(page, "Nachrichten")
    expect(page.get_by_text(re.compile("Verlegt: Runder Tisch Frühe Hilfen Nordstadt"))).to_be_visible()
    nav(page, "Meine Aufgaben")
    row = page.get_by_role("row", name=re.compile("Flyer der Familienhebammen"))
    expect(row).to_contain_text("Netzwerktreffen: Runder Tisch Frühe Hilfen Nordstadt")
    axe_check(page, "43-my-tasks-with-action-item")
    row.get_by_role("link").click()
    page.get_by_role("button", name="Zusagen").click()
    expect(page.get_by_text("Ihre Zusage ist vermerkt.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Kalendereintrag herunterladen (.ics)").click()
    event = next(iter(Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")))
    assert int(event["sequence"]) == 1  # the same UID, one change later
    assert timezone.localtime(event.decoded("dtstart")).replace(tzinfo=None) == datetime.combine(
        moved, time(14)
    )
    page.get_by_label("Vermerk").fill("liegen im Wartezimmer aus")
    page.get_by_role("button", name="Erledigt").click()
    expect(page.get_by_text("Die Aufgabe ist erledigt.")).to_be_visible()
    expect(page.get_by_text(re.compile("erledigt · zuständig: Maria Schneider"))).to_be_visible()
    axe_check(page, "44-meeting-item-done")
    nav(page, "Meine Aufgaben")
    expect(page.get_by_text("Flyer der Familienhebammen")).to_have_count(0)

    # Someone from an organisation that was not invited gets 404 for the unpublished meeting.
    page = signed_in(browser, browser_context_args, base, "k.roth")
    response = page.goto(meeting_url)
    assert response is not None and response.status == 404
    expect(page.get_by_text("Runder Tisch Frühe Hilfen Nordstadt")).to_have_count(0)
