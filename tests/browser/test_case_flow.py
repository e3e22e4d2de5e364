"""The case across organisations, clicked through by three people in their own browsers."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from playwright.sync_api import Browser, Page, expect

from schutznetz.accounts.models import User
from schutznetz.cases.reminders import escalate_open_requests
from schutznetz.demo import DEMO_PASSWORD
from schutznetz.seed.loader import Seeded
from tests import factories as f
from tests.browser.conftest import AxeChecker

pytestmark = pytest.mark.browser


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name=name).click()


def open_form(page: Page, link: str) -> None:
    """Open a form of the case page that loads on demand. The sections above it load after the page
    and push it down; a click while they arrive can miss the moving link, so wait for them."""
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name=link).click()


def signed_in(browser: Browser, context_args: dict[str, Any], base: str, username: str) -> Page:
    """A new browser (own cookies) with the user signed in by password and TOTP."""
    device = f.totp_device(User.objects.get(username=username))
    page = browser.new_context(**context_args).new_page()
    page.goto(f"{base}/account/login/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_label("Sicherheitscode").fill(str(TOTP(device.bin_key).token()).zfill(6))
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name=re.compile("Guten Tag"))).to_be_visible()
    return page


def test_case_from_search_to_handover_and_an_outsider_gets_404(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    jugendamt = signed_in(browser, browser_context_args, base, "j.hoffmann")

    # search: a sound-alike of a child already in her cases is found
    nav(jugendamt, "Meine Fälle")
    axe_check(jugendamt, "20-my-cases")
    jugendamt.get_by_role("link", name="Kind suchen / neuer Fall").click()
    search = jugendamt.locator("form[action='/faelle/suche/']")
    search.get_by_label("Familienname").fill("Mayer")
    search.get_by_label("Vorname").fill("Mia")
    search.get_by_label("Geburtsdatum").fill("2021-01-20")
    search.get_by_role("button", name="Suchen").click()
    expect(jugendamt.get_by_text("Mia Meier")).to_be_visible()
    expect(jugendamt.get_by_text("ähnlicher Name")).to_be_visible()
    axe_check(jugendamt, "21-child-search")

    # not found: create the case
    search.get_by_label("Familienname").fill("Neumann")
    search.get_by_label("Vorname").fill("Lea")
    search.get_by_label("Geburtsdatum").fill("2020-05-05")
    search.get_by_role("button", name="Suchen").click()
    expect(jugendamt.get_by_role("heading", name="Kein Treffer in Ihren Fällen")).to_be_visible()
    create = jugendamt.locator("form[action='/faelle/neu/']")
    create.get_by_label("Postleitzahl").fill("44135")
    create.get_by_label("Anlass").fill("Mitteilung der Kita: wiederholt unversorgte Verletzungen")
    create.get_by_label("Nächster Schritt").fill("Hausbesuch")
    create.get_by_label("fällig am").fill(due)
    create.get_by_role("button", name="Fall anlegen").click()
    expect(jugendamt.get_by_role("heading", name="Lea Neumann", level=1)).to_be_visible()
    case_url = jugendamt.url
    axe_check(jugendamt, "22-case")

    # invite the care provider
    open_form(jugendamt, "Organisation beteiligen …")
    invite = jugendamt.locator("form[action$='/beteiligte/']")
    invite.get_by_label("Organisation").select_option(label="Jugendhilfe Westfalen gGmbH (Demo)")
    invite.get_by_label("Rolle im Fall").select_option(label="Leistungserbringer (freier Träger)")
    invite.get_by_label("Rechtsgrundlage").select_option(value="sgb8_8a_4")
    invite.get_by_label("Anlass der Einladung").fill(
        "Bitte um Übernahme einer Sozialpädagogischen Familienhilfe"
    )
    invite.get_by_label("Dringlichkeit").select_option(label="dringend")
    invite.get_by_role("button", name="Einladen").click()
    expect(jugendamt.get_by_text("Die Einladung wurde verschickt.")).to_be_visible()

    # unanswered past its answer date (one hour when urgent): the worker escalates it
    assert escalate_open_requests(now=timezone.now() + timedelta(hours=2)) == 1
    provider = signed_in(browser, browser_context_args, base, "r.krause")
    nav(provider, "Nachrichten")
    expect(
        provider.get_by_text(re.compile("Überfällig: Einladung in den Fall .* unbeantwortet"))
    ).to_be_visible()

    # the provider's coordination reads why and how urgent, and accepts
    nav(provider, "Meine Fälle")
    provider.get_by_role("link", name="Einladungen an meine Organisation").click()
    expect(
        provider.get_by_text("Anlass: Bitte um Übernahme einer Sozialpädagogischen Familienhilfe")
    ).to_be_visible()
    expect(provider.get_by_text("dringend", exact=True)).to_be_visible()
    expect(provider.get_by_text(re.compile("Antwort erbeten bis"))).to_be_visible()
    axe_check(provider, "23-invitations")
    provider.get_by_role("button", name="Annehmen").click()
    expect(provider.get_by_role("heading", name="Lea Neumann", level=1)).to_be_visible()

    # the Jugendamt assigns a task to the provider's social worker and asks it to take over the lead
    jugendamt.reload()
    # the forms with long choice lists open on demand
    open_form(jugendamt, "Aufgabe anlegen …")
    task_form = jugendamt.locator("form[action$='/aufgaben/']")
    task_form.get_by_label("Aufgabe").fill("Sozialpädagogische Familienhilfe beginnen")
    task_form.get_by_label("Zuständig").select_option(label="Eva Hahn")
    task_form.get_by_label("fällig am").fill(due)
    task_form.get_by_role("button", name="Aufgabe anlegen").click()
    expect(jugendamt.get_by_text("Die Aufgabe wurde angelegt.")).to_be_visible()
    # a step that the hand-over itself completes
    open_form(jugendamt, "Aufgabe anlegen …")
    task_form = jugendamt.locator("form[action$='/aufgaben/']")
    task_form.get_by_label("Aufgabe").fill("Fallführung an den Träger übergeben")
    task_form.get_by_label("Zuständig").select_option(label="Julia Hoffmann")
    task_form.get_by_label("fällig am").fill(due)
    task_form.get_by_label("Erledigt sich von selbst").select_option(
        label="sobald eine andere Organisation die Fallführung übernommen hat"
    )
    task_form.get_by_role("button", name="Aufgabe anlegen").click()
    expect(jugendamt.get_by_text("Die Aufgabe wurde angelegt.")).to_be_visible()
    open_form(jugendamt, "Übergabe anfragen …")
    handover = jugendamt.locator("form[action$='/uebergabe/']")
    handover.get_by_label("An Organisation").select_option(label="Jugendhilfe Westfalen gGmbH (Demo)")
    handover.get_by_label("Begründung").fill("Hilfe zur Erziehung läuft beim Träger")
    handover.get_by_role("button", name="Übergabe anfragen").click()
    expect(jugendamt.locator("#lead")).to_contain_text(
        "Jugendamt Dortmund (Demo)"
    )  # unchanged until accepted

    provider.reload()
    provider.get_by_role("button", name="Fallführung übernehmen").click()
    expect(provider.locator("#lead")).to_contain_text("Jugendhilfe Westfalen gGmbH (Demo) – Ralf Krause")
    expect(provider.locator(".task", has_text="Fallführung an den Träger übergeben")).to_contain_text(
        "Erledigt: Jugendhilfe Westfalen gGmbH (Demo) hat die Fallführung übernommen."
    )
    axe_check(provider, "24-case-after-handover")

    # hand a task to a colleague: the form is loaded into the task card
    task = provider.locator(".task", has_text="Hausbesuch")
    task.get_by_role("link", name="Übertragen: Hausbesuch").click()
    expect(task.get_by_label("Zuständig")).to_be_visible()
    axe_check(provider, "24b-task-reassign")
    task.get_by_label("Zuständig").select_option(label="Eva Hahn")
    task.get_by_role("button", name="Übertragen: Hausbesuch").click()
    expect(provider.locator(".task", has_text="Hausbesuch")).to_contain_text("zuständig: Eva Hahn")

    # complete a task (htmx: only the task list is replaced)
    task = provider.locator(".task", has_text="Hausbesuch")
    task.get_by_label("Vermerk").fill("Hausbesuch erfolgt, Kind wohlauf")
    task.get_by_role("button", name="Erledigt: Hausbesuch").click()
    expect(provider.locator(".task", has_text="Hausbesuch")).to_contain_text("erledigt")
    axe_check(provider, "25-task-done")

    # "Meine Aufgaben" of the social worker
    social_worker = signed_in(browser, browser_context_args, base, "e.hahn")
    nav(social_worker, "Meine Aufgaben")
    expect(
        social_worker.get_by_role("cell", name="Sozialpädagogische Familienhilfe beginnen")
    ).to_be_visible()
    axe_check(social_worker, "26-my-tasks")

    # an outsider from another Jugendamt learns nothing
    outsider = signed_in(browser, browser_context_args, base, "a.wolf")
    response = outsider.goto(case_url)
    assert response is not None and response.status == 404
    expect(outsider.get_by_role("heading", name="Nicht gefunden.")).to_be_visible()
    expect(outsider.get_by_text("Lea")).to_have_count(0)
    axe_check(outsider, "27-outsider-404")
