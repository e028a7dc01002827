"""A headless chromium for the browser tests, driven through Playwright.

The tests use Debian's chromium at /usr/bin/chromium (`make chromium` installs
it) and skip, saying so, when it is missing. Set DUET_SCREENSHOTS=1 to save
screenshots of the pages visited into docs/screenshots/.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# The suite runs on both cores beside these tests: give every wait the page's own
# patience (15 s) instead of expect()'s 5 s.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="module")
def browser():
    """Chromium, for the tests of one module.

    Playwright's sync API runs an asyncio event loop in this thread, which makes
    Django refuse ORM calls "from an async context" in the tests and fixtures
    that run beside it. Those calls are synchronous, so DJANGO_ALLOW_ASYNC_UNSAFE
    tells Django so, only while the loop runs: the other tests keep the check.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(
            f"the browser tests need chromium at {CHROMIUM}: "
            "install Debian's chromium package (`make chromium`)"
        )
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _new_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh browser tab (no cookies) whose relative URLs go to the live server."""
    page = _new_page(browser, live_server)
    yield page
    page.context.close()


def _sign_in(page, user, live_server) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.value, "url": live_server.url}]
    )


@pytest.fixture
def sign_in(live_server) -> Callable:
    """`sign_in(page, user)`: the tab's browser context is signed in as `user`,
    without the login form (tests of the login itself use the form)."""
    return lambda page, user: _sign_in(page, user, live_server)


@pytest.fixture
def another_page(browser, live_server) -> Iterator[Callable]:
    """`another_page(user)`: a tab in a browser context of its own (its own
    cookies), signed in as `user`: a second coder beside the first."""
    pages = []

    def open_page(user):
        page = _new_page(browser, live_server)
        _sign_in(page, user, live_server)
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.context.close()


@pytest.fixture
def screenshot(page) -> Callable[[str], None]:
    """`screenshot("name")` saves docs/screenshots/name.png when DUET_SCREENSHOTS=1."""

    def take(name: str) -> None:
        if os.environ.get("DUET_SCREENSHOTS") != "1":
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take
