"""Issue 39, item 20: the API documentation (Swagger UI) is a German page (``lang="de"``), loads
without a style the Content Security Policy blocks, and passes axe once its operations are shown."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from schutznetz.seed.loader import Seeded
from tests.browser.conftest import AxeChecker
from tests.browser.test_case_flow import signed_in

pytestmark = pytest.mark.browser


def test_the_api_documentation_is_german_and_passes_axe(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    demo: Seeded,
    axe_check: AxeChecker,
) -> None:
    page = signed_in(browser, browser_context_args, live_server.url, "j.hoffmann")
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "de"
    expect(page.get_by_text("Zugriffsprotokoll der Organisation über alle Fälle").first).to_be_visible()
    axe_check(page, "96-api-docs")
    assert not [text for text in blocked if "style" in text], blocked
