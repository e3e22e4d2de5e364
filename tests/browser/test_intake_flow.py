"""A school's report reaches the Jugendamt's intake: the worker records it, is shown that the child is
probably known, joins the report to that case, and notes the first contact."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from schutznetz.cases.models import Case
from schutznetz.seed.loader import Seeded
from schutznetz.welfare.models import Intake
from tests.browser.conftest import AxeChecker
from tests.browser.test_case_flow import signed_in

pytestmark = pytest.mark.browser


def test_a_school_report_joins_the_known_case_and_first_contact_is_noted(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    base = live_server.url
    known = Case.objects.get(title__startswith="Anhaltende Schulverweigerung")
    cases = Case.objects.count()
    worker = signed_in(browser, browser_context_args, base, "j.hoffmann")
    worker.get_by_role("link", name="Meldungseingang").click()
    worker.get_by_role("link", name="Meldung aufnehmen").click()
    worker.get_by_label("Bekannt geworden durch").select_option(label="Schule")
    worker.get_by_label("Was wurde mitgeteilt?").fill(
        "Leon fehlt seit drei Wochen; bei einem Hausbesuch der Schulsozialarbeit öffnete niemand."
    )
    worker.get_by_label("Name der meldenden Person").fill("Schulsozialarbeit Gesamtschule")
    worker.get_by_label("Erreichbarkeit (Telefon, E-Mail)").fill("0231 6600-1801")
    worker.get_by_label("Meldende Einrichtung im Netzwerk").select_option(
        label="Gesamtschule Nordstadt (Demo)"
    )
    worker.get_by_label("Familienname des Kindes").fill("Schulte")
    worker.get_by_label("Vorname des Kindes").fill("Leon")
    worker.get_by_label("Geburtsdatum").fill("2016-06-02")
    axe_check(worker, "70-intake-form")
    worker.get_by_role("button", name="Meldung aufnehmen").click()

    warning = worker.get_by_text(re.compile("Möglicherweise ist das Kind bereits bekannt"))
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(f"Fall {known.child.pseudonym}")
    worker.get_by_label("Meldung diesem Fall zuordnen").select_option(str(known.pk))
    axe_check(worker, "71-intake-duplicate")
    worker.get_by_role("button", name="Meldung aufnehmen").click()

    expect(worker.get_by_text("Die Meldung ist aufgenommen.")).to_be_visible()
    expect(worker.get_by_text("Schulsozialarbeit Gesamtschule, 0231 6600-1801")).to_be_visible()
    expect(worker.get_by_text(re.compile("fällig bis"))).to_be_visible()
    assert Intake.objects.filter(case=known).count() == 1 and Case.objects.count() == cases
    worker.get_by_label("Vermerk (ohne Namen Dritter)").fill(
        "Telefonat mit der Mutter, Hausbesuch vereinbart"
    )
    worker.get_by_role("button", name="Erstkontakt vermerken").click()
    expect(worker.get_by_text("Der Erstkontakt ist vermerkt.")).to_be_visible()
    worker.get_by_role("link", name="Zurück zum Meldungseingang").click()
    row = worker.get_by_role("row", name=re.compile(known.child.pseudonym))
    expect(row).to_contain_text("Erstkontakt am")
    axe_check(worker, "72-intake-list")


def test_a_long_intake_list_comes_a_page_at_a_time(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    """A big office's list: the reports awaiting first contact lead, 25 to a page, and the next page
    is a link away."""
    from datetime import date

    from schutznetz.accounts.models import User
    from schutznetz.kit.pagination import PAGE_SIZE
    from schutznetz.network.policy import youth_offices_of
    from schutznetz.people.identity import ChildIdentity
    from schutznetz.welfare import services

    user = User.objects.get(username="j.hoffmann")
    office = youth_offices_of(user)[0]
    for n in range(PAGE_SIZE + 1 - Intake.objects.filter(youth_office=office).count()):
        services.intake_record(
            actor=user,
            data=services.IntakeInput(
                youth_office_id=office.pk,
                source="school",
                urgency="normal",
                account="Das Kind kam mehrfach mit Verletzungen in die Schule.",
                reporter_name="Schulsozialarbeit",
                child=ChildIdentity(
                    given_name=f"Kind{n}",
                    family_name=f"Familie{n}",
                    birth_date=date(2015, 1 + n % 12, 1 + n),
                    sex="female",
                    street="Musterweg 1",
                    postal_code="44135",
                    city="Dortmund",
                ),
                confirm_new=True,
            ),
        )
    worker = signed_in(browser, browser_context_args, live_server.url, "j.hoffmann")
    worker.get_by_role("link", name="Meldungseingang").click()
    table = worker.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(PAGE_SIZE)
    expect(worker.get_by_text("Seite 1, weitere folgen")).to_be_visible()
    axe_check(worker, "73-intake-list-page-1")
    expect(table.locator("tbody tr").first).not_to_contain_text("Erstkontakt am")
    worker.get_by_role("link", name="Nächste Seite").click()
    expect(worker.get_by_text("Seite 2 von 2")).to_be_visible()
    expect(table.locator("tbody tr")).not_to_have_count(0)
    axe_check(worker, "73-intake-list-page-2")
    worker.get_by_role("link", name="Vorherige Seite").click()
    expect(worker.get_by_text("Seite 1, weitere folgen")).to_be_visible()
