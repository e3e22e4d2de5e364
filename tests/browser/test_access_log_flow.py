"""The data-protection officer of a demo youth office follows up on access: finds a colleague's read
of a case by person and period, exports it as CSV, and sees the alert once that colleague has opened
more cases within an hour than the limit; a pseudonymised participant reaches none of it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from schutznetz.accounts.models import User
from schutznetz.cases import queries
from schutznetz.cases.models import Participation
from schutznetz.seed.loader import Seeded
from tests.browser.conftest import AxeChecker
from tests.browser.test_case_flow import nav, signed_in

pytestmark = pytest.mark.browser


def test_the_officer_finds_a_read_exports_it_and_is_alerted_to_unusual_access(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
    settings: Any,
) -> None:
    settings.SCHUTZNETZ_AUDIT_READ_LIMIT_PER_HOUR = 2
    base = live_server.url
    today = timezone.localdate().isoformat()

    # A colleague at the youth office opens a case from "Meine Fälle".
    worker = signed_in(browser, browser_context_args, base, "j.hoffmann")
    nav(worker, "Meine Fälle")
    worker.locator("table a.kern-link").first.click()
    expect(worker.get_by_role("heading", level=1)).to_be_visible()
    first_case = worker.url

    # The officer finds that read by person and period.
    officer = signed_in(browser, browser_context_args, base, "d.brandt")
    expect(officer.get_by_text("Datenschutzbeauftragte/r bei Jugendamt Dortmund (Demo)")).to_be_visible()
    officer.get_by_role("link", name="Zugriffsprotokoll Jugendamt Dortmund (Demo)").click()
    expect(officer.get_by_role("heading", name="Zugriffsprotokoll der Organisation")).to_be_visible()
    expect(officer.get_by_text("Keine auffälligen Zugriffe.")).to_be_visible()
    log = officer.get_by_role("search", name="Zugriffsprotokoll filtern")
    log.get_by_label("Person").select_option(label="Julia Hoffmann")
    log.get_by_label("von (Datum)").fill(today)
    log.get_by_label("bis (Datum)").fill(today)
    log.get_by_role("button", name="Filtern").click()
    rows = officer.locator("table tbody tr")
    read = rows.filter(has_text="Fallakte einsehen")
    expect(read.first).to_contain_text("Julia Hoffmann")
    expect(read.first).to_contain_text(re.compile(r"K-[A-Z0-9]{4}-[A-Z0-9]{4}"))  # the case, by pseudonym
    expect(rows.filter(has_text="Markus Becker")).to_have_count(0)
    axe_check(officer, "60-access-log-filtered")

    # ... and exports exactly that as CSV.
    with officer.expect_download() as download:
        officer.get_by_role("link", name="Als CSV herunterladen").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert exported.startswith("Position;Zeitpunkt;Person;")
    lines = exported.strip().splitlines()[1:]
    assert lines and all(";Julia Hoffmann;" in line for line in lines)
    assert any("Fallakte einsehen" in line for line in lines)

    # The colleague opens two more cases within the hour: more than the limit of two.
    hoffmann = User.objects.get(username="j.hoffmann")
    others = [c.pk for c in queries.case_list_for(hoffmann) if f"/faelle/{c.pk}/" not in first_case][:2]
    assert len(others) == 2
    for pk in others:
        worker.goto(f"{base}/faelle/{pk}/")
        expect(worker.get_by_role("heading", level=1)).to_be_visible()

    officer.reload()
    alert = officer.get_by_text(re.compile("Julia Hoffmann hat innerhalb einer Stunde 3 Fälle geöffnet"))
    expect(alert).to_be_visible()
    axe_check(officer, "61-access-log-alert")
    nav(officer, "Nachrichten")
    expect(officer.get_by_text(re.compile("Auffälliger Zugriff: Julia Hoffmann"))).to_be_visible()

    # A pseudonymised participant (the insoweit erfahrene Fachkraft) reaches none of it.
    consultant = signed_in(browser, browser_context_args, base, "u.vogel")
    theirs = Participation.objects.filter(
        organisation__memberships__user__username="u.vogel", pseudonymised=True
    ).first()
    assert theirs is not None
    for path in (
        "/datenschutz/zugriffsprotokoll/",
        "/datenschutz/zugriffsprotokoll/export.csv",
        f"/faelle/{theirs.case_id}/protokoll/",
        f"/faelle/{theirs.case_id}/protokoll/export.csv",
    ):
        response = consultant.goto(base + path)
        assert response is not None and response.status == 404, path
    axe_check(consultant, "62-access-log-404")
