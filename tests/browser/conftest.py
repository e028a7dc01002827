"""A headless chromium for the browser tests, driven through Playwright.

The tests use Debian's chromium at /usr/bin/chromium (`make chromium` installs
it) and skip, saying so, when it is missing. Set DUET_SCREENSHOTS=1 to save
screenshots of the pages visited into docs/screenshots/.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

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


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh browser tab (no cookies) whose relative URLs go to the live server."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page) -> Callable[[str], None]:
    """`screenshot("name")` saves docs/screenshots/name.png when DUET_SCREENSHOTS=1."""

    def take(name: str) -> None:
        if os.environ.get("DUET_SCREENSHOTS") != "1":
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take
