from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from schutznetz.demo import seed_demo
from schutznetz.seed.loader import Seeded

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": "de-DE",
        "timezone_id": "Europe/Berlin",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture(autouse=True)
def _close_other_contexts(request: pytest.FixtureRequest, browser: Browser) -> Iterator[None]:
    """Close the browsers a test opened for its other users (``signed_in``): left open, their pages
    keep polling the live server (the crisis board every three seconds) through every later test.

    They are closed before the test's database is emptied: set up first (as autouse fixtures are),
    this fixture was torn down after the flush, and a page still loading a section or polling read
    from the live server while the flush's TRUNCATE took its locks — the two deadlocked, the flush
    failed and the next test on that worker found the last one's data."""
    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")  # set up before, so torn down after this
    yield
    for context in list(browser.contexts):
        with contextlib.suppress(PlaywrightError):  # already closed by pytest-playwright's own fixture
            context.close()


@pytest.fixture(autouse=True)
def _plain_http_cookies(settings: Any) -> None:
    # The live server speaks plain HTTP; production cookies are Secure.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def demo(transactional_db: None, live_server: Any) -> Seeded:
    return seed_demo()


class AxeChecker:
    def __init__(self) -> None:
        self.axe = Axe()
        self.checked: list[str] = []

    def __call__(self, page: Page, name: str) -> None:
        """Run axe-core on the page, save a screenshot, fail on serious or critical violations."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        results = self.axe.run(page)
        blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        assert not blocking, f"{name} ({page.url}): " + "; ".join(
            f"{v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['html'][:120]})"
            for v in blocking
        )
        self.checked.append(page.url)


@pytest.fixture
def axe_check() -> Iterator[AxeChecker]:
    yield AxeChecker()
