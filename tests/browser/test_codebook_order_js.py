"""The coding page's code picker and code filter list codes in the codebook's order
(each code followed by its sub-codes, siblings by position), as the codebook page
does: static/js/coding/store.js run in chromium."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

MODULE = Path(__file__).resolve().parents[2] / "static" / "js" / "coding" / "store.js"
ORIGIN = "http://duet.test"
ARROW = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"  # between a code and its parent

# As the server sends them: flat, by position then name.
CODES = [
    {"id": 1, "parent": None, "name": "Alliance", "retired": False},
    {"id": 5, "parent": 1, "name": "Rupture", "retired": False},
    {"id": 2, "parent": None, "name": "Body", "retired": False},
    {"id": 4, "parent": 2, "name": "Breath", "retired": False},
    {"id": 3, "parent": 1, "name": "Repair", "retired": False},
    {"id": 6, "parent": 5, "name": "Withdrawal", "retired": True},
]

PATHS = """async (codes) => {
  const { CodingStore } = await import('/store.js');
  const store = new CodingStore();
  store.load({ codes, coders: [], codings: [], session_state: null });
  return {
    all: [...store.codes.values()].map((code) => code.path),
    active: store.activeCodes().map((code) => code.path),
  };
}"""


@pytest.fixture
def module_page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.route(
        f"{ORIGIN}/",
        lambda route: route.fulfill(
            body="<!doctype html><title>store</title>", content_type="text/html"
        ),
    )
    page.route(
        f"{ORIGIN}/store.js",
        lambda route: route.fulfill(path=MODULE, content_type="text/javascript"),
    )
    page.goto(f"{ORIGIN}/")
    yield page
    context.close()


def test_codes_come_in_the_codebooks_order(module_page):
    paths = module_page.evaluate(PATHS, CODES)

    assert paths["all"] == [
        "Alliance",
        f"Alliance {ARROW} Rupture",
        f"Alliance {ARROW} Rupture {ARROW} Withdrawal",
        f"Alliance {ARROW} Repair",
        "Body",
        f"Body {ARROW} Breath",
    ]
    assert paths["active"] == [
        "Alliance",
        f"Alliance {ARROW} Rupture",
        f"Alliance {ARROW} Repair",
        "Body",
        f"Body {ARROW} Breath",
    ]
