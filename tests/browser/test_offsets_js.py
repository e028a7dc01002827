"""static/js/coding/offsets.js, the page's one conversion between the browser's
UTF-16 positions and the code points Duet stores, run in chromium and checked
against Python, whose strings count code points."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

MODULE = Path(__file__).resolve().parents[2] / "static" / "js" / "coding" / "offsets.js"
ORIGIN = "http://duet.test"

TEXTS = [
    "plain ASCII, no surrogates at all",
    "a dark room 🌑 while somebody holds your hand",
    "😶🌱🗣️ emoji side by side, one with a variation selector",
    "\N{MATHEMATICAL SCRIPT CAPITAL A}lmost 𠀋 frozen: mathematical and CJK extension B letters",
    "family 👩‍👩‍👧 joined by zero-width joiners, then a flag 🇳🇴",
    "ends with an emoji 🎉",
    "",
]

# For each text: every code point position converted to UTF-16 and back, and
# every UTF-16 position (even inside a pair) converted to code points.
CONVERT = """async (texts) => {
  const { TextOffsets } = await import('/offsets.js');
  return texts.map((text) => {
    const offsets = new TextOffsets(text);
    const toUtf16 = [];
    for (let cp = 0; cp <= offsets.length; cp += 1) toUtf16.push(offsets.toUtf16(cp));
    const toCodePoints = [];
    for (let unit = 0; unit <= text.length; unit += 1) toCodePoints.push(offsets.toCodePoints(unit));
    return { length: offsets.length, toUtf16, toCodePoints };
  });
}"""


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def code_points_at_each_utf16_position(text: str) -> list[int]:
    """Between the two halves of a surrogate pair counts as after the character."""
    positions = [0]
    for after, character in enumerate(text, start=1):
        positions.extend([after] * utf16_length(character))
    return positions


@pytest.fixture
def module_page(browser):
    """A blank page that can import offsets.js: the module needs no server or database."""
    context = browser.new_context()
    page = context.new_page()
    page.route(
        f"{ORIGIN}/",
        lambda route: route.fulfill(
            body="<!doctype html><title>offsets</title>", content_type="text/html"
        ),
    )
    page.route(
        f"{ORIGIN}/offsets.js",
        lambda route: route.fulfill(path=MODULE, content_type="text/javascript"),
    )
    page.goto(f"{ORIGIN}/")
    yield page
    context.close()


def convert(page) -> dict[str, dict]:
    return dict(zip(TEXTS, page.evaluate(CONVERT, TEXTS), strict=True))


def test_code_point_positions_map_to_utf16_positions_and_back(module_page):
    for text, result in convert(module_page).items():
        utf16 = [utf16_length(text[:cp]) for cp in range(len(text) + 1)]
        back = code_points_at_each_utf16_position(text)

        assert result["length"] == len(text), text
        assert result["toUtf16"] == utf16, text
        assert result["toCodePoints"] == back, text


def test_a_selection_after_astral_characters_lands_at_the_python_offset(module_page):
    text = TEXTS[3]
    start_utf16 = utf16_length(text[: text.index("frozen")])

    position = convert(module_page)[text]["toCodePoints"][start_utf16]

    assert text[position:].startswith("frozen")
