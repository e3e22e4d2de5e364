"""axe-core on every page of the crawl (tests/crawl): each HTML page a role reaches with its own
records, rendered in Chromium, without a violation of impact moderate or higher (WCAG 2.1 AA /
BITV 2.0 as axe checks them). The crawl itself checks on every response that each form field has an
accessible name (tests/crawl/html_checks.py)."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from tests.browser.test_case_flow import signed_in
from tests.crawl import world as w
from tests.crawl.test_crawl import routes

pytestmark = pytest.mark.browser

IMPACTS = {"moderate", "serious", "critical"}
# Files, feeds and fragments, not pages: the API (it has no page but its documentation), the crisis
# board's state that the board polls, the findings form's next injury row, the invitee picker's results.
NOT_PAGES = (
    *(".ics", ".pdf", ".csv", "/export", "api/v1/", "api/schema", "logout"),
    *("/stand/", "/zeile/", "/einladbar/"),
)
# The roles whose pages differ most, with the fewest pages each reaches in the demo world: the
# Jugendamt's coordination (case pathways, intake), a paediatrician (findings, reports, consultation
# hours), the network's coordination (directory, agreements, rosters) and a data-protection officer
# (the organisation's access log, no cases).
ROLES = {"youth_office_lead": 60, "doctor": 55, "coordinator": 50, "data_protection_officer": 30}


@pytest.fixture
def crawl_world(transactional_db: None, live_server: Any) -> w.World:
    return w.build()


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_the_crawl_passes_axe(
    role: str, browser: Browser, browser_context_args: dict[str, Any], live_server: Any, crawl_world: w.World
) -> None:
    page = signed_in(browser, browser_context_args, live_server.url, crawl_world.users[role].username)
    axe = Axe()
    own = crawl_world.own[role]
    problems: list[str] = []
    checked = 0
    for route in routes():
        if any(part in route.template for part in NOT_PAGES):
            continue
        values = {param: own.get(kind) for param, _, kind in route.kinds}
        if any(value is None for value in values.values()):
            continue
        url = live_server.url + route.url(values)
        # Asked first without the browser: a form's target (POST only) answers 405 without a page,
        # and Chromium's error page would disturb the next navigation.
        probe = page.request.get(url, max_redirects=0)
        if probe.status != 200 or not probe.headers.get("content-type", "").startswith("text/html"):
            continue
        page.goto(url)
        checked += 1
        for violation in axe.run(page).response["violations"]:
            if violation.get("impact") in IMPACTS:
                problems.append(
                    f"{route.name} ({route.template}): {violation['id']} [{violation['impact']}] "
                    f"{violation['help']} — e.g. {violation['nodes'][0]['html'][:140]}"
                )
    assert checked >= ROLES[role], checked
    assert not problems, f"{len(problems)} violations on {checked} pages:\n" + "\n".join(problems)
