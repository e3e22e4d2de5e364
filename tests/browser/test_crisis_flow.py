"""A crisis at 02:00 on a Sunday: a care provider's night staff raise it from the case; the
Jugendamt's, the child psychiatry's and the ambulance service's people on call see it appear on
their screens without reloading, open the board and answer; the raiser watches the answers arrive.
The board is also checked at phone size."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect

from schutznetz.accounts.models import User
from schutznetz.cases.services import FirstTask, case_create
from schutznetz.network.models import Organisation
from schutznetz.network.queries import on_call_at
from schutznetz.seed.loader import Seeded
from tests import factories as f
from tests.browser.conftest import AxeChecker
from tests.browser.test_case_flow import signed_in

pytestmark = pytest.mark.browser

BERLIN = ZoneInfo("Europe/Berlin")
PHONE = {"width": 390, "height": 844}


def _next_sunday_2am() -> datetime:
    now = datetime.now(BERLIN)
    days = (6 - now.weekday()) % 7 or 7
    return (now + timedelta(days=days)).replace(hour=2, minute=0, second=0, microsecond=0)


def _on_call(name: str, at: datetime) -> User:
    organisation = Organisation.objects.get(name=name)
    shifts = on_call_at(organisation_ids=[organisation.pk], at=at)
    assert shifts, f"nobody on call at {name} at {at}"
    return shifts[0].membership.user


def _answer(page: Page, label: str) -> None:
    page.get_by_role("link", name=re.compile("Krise – Fall")).first.click()
    expect(page.get_by_role("heading", name=re.compile("Krise – Fall"), level=1)).to_be_visible()
    page.get_by_role("button", name=label, exact=True).click()  # one click
    expect(page.get_by_text("Ihre Rückmeldung ist festgehalten")).to_be_visible()


def test_crisis_at_night_reaches_everyone_on_call_at_once(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    night = _next_sunday_2am()
    with time_machine.travel(night, tick=True):
        provider = User.objects.get(username="e.hahn")
        case = case_create(
            actor=provider,
            organisation=Organisation.objects.get(name="Jugendhilfe Westfalen gGmbH (Demo)"),
            title="Jugendlicher in der Wohngruppe, Suizidgedanken",
            identity=f.child_identity("Leon", "Brandt", "2010-05-04"),
            first_task=FirstTask("Hilfeplangespräch vorbereiten", night.date() + timedelta(days=3)),
        )
        youth_office = _on_call("Jugendamt Dortmund (Demo)", night)
        clinic = _on_call("Klinik für Kinder- und Jugendpsychiatrie Dortmund (Demo)", night)
        ambulance = _on_call("Rettungsdienst der Feuerwehr Dortmund (Demo)", night)

        # The people on call have their crisis list open.
        watchers = {}
        for user in (youth_office, clinic, ambulance):
            page = signed_in(browser, browser_context_args, base, user.username)
            page.goto(f"{base}/krisen/")
            expect(page.get_by_text("Keine Krise")).to_be_visible()
            watchers[user.username] = page

        raiser = signed_in(browser, browser_context_args, base, provider.username)
        raiser.goto(f"{base}/faelle/{case.pk}/")
        raiser.locator("section#krise").get_by_role(
            "link", name="Krise melden und alle Zuständigen alarmieren"
        ).click()
        raiser.get_by_role("radio", name=re.compile("^akut")).check()
        raiser.get_by_label("Lage").fill(
            "Jugendlicher hat sich im Zimmer eingeschlossen und kündigt an, sich etwas anzutun. "
            "Zwei Betreuerinnen vor Ort."
        )
        raiser.get_by_label("Aufenthaltsort jetzt").fill("Wohngruppe Hörde, Hörder Bahnhofstraße 5, 2. OG")
        axe_check(raiser, "90-crisis-form")
        raiser.get_by_role("button", name="Krise melden und alarmieren").click()
        expect(raiser.get_by_text("alle Zuständigen sind zugleich alarmiert")).to_be_visible()
        board = raiser.locator("#board-state")
        expect(board).to_contain_text("0 von")
        expect(raiser.get_by_text("Ist der Rettungsdienst über 112 gerufen?")).to_be_visible()
        raiser.get_by_role("button", name="Notruf 112 abgesetzt – Uhrzeit festhalten").click()
        expect(raiser.get_by_text("Der Zeitpunkt des Notrufs ist festgehalten.")).to_be_visible()
        axe_check(raiser, "91-crisis-board-raised")

        # Without reload, each list shows the crisis with the answer missing; each answers.
        for page in watchers.values():
            expect(page.get_by_text("Ihre Rückmeldung fehlt")).to_be_visible(timeout=15_000)
        _answer(watchers[youth_office.username], "Übernommen")
        _answer(watchers[clinic.username], "Unterwegs")
        axe_check(watchers[clinic.username], "92-crisis-board-clinic")
        _answer(watchers[ambulance.username], "Unterwegs")

        # The raiser's board shows the answers as they arrive, without reload.
        expect(board).to_contain_text("übernommen", timeout=15_000)
        expect(board.get_by_text("unterwegs")).to_have_count(2, timeout=15_000)
        for user in (youth_office, clinic, ambulance):
            expect(board).to_contain_text(user.display_name)
        axe_check(raiser, "93-crisis-board-answered")

        # At phone size the board reads from top to bottom without sideways scrolling of the page.
        # (the same session as on the desktop: a second sign-in would reuse the one-time code)
        session = watchers[youth_office.username].context.storage_state()
        phone = browser.new_context(
            **{**browser_context_args, "viewport": PHONE}, storage_state=session
        ).new_page()
        phone.goto(raiser.url)
        expect(phone.get_by_role("heading", name=re.compile("Krise – Fall"), level=1)).to_be_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, width
        axe_check(phone, "94-crisis-board-phone")
