"""Vendor position conventions map onto the same words: one function per convention,
checked with emoji (outside the Basic Multilingual Plane), CRLF and a BOM."""

from analysis.exchange import positions

TEXT = "\ufeffHi 😀 there\r\nNext 😀😀 line\r\nend"
NORMAL = "Hi 😀 there\nNext 😀😀 line\nend"


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_normalising_drops_the_bom_and_makes_every_line_end_lf():
    assert positions.normalise_newlines(TEXT) == NORMAL
    assert positions.normalise_newlines("a\rb") == "a\nb"


def test_utf16_positions_over_crlf_text_land_on_the_same_words():
    raw = TEXT[1:]
    start = _utf16(raw[: raw.index("line")])

    (first, last) = positions.from_utf16_of_file(TEXT, [start, start + 4])

    assert NORMAL[first:last] == "line"


def test_code_points_of_the_file_count_crlf_as_two():
    raw = TEXT[1:]
    start = raw.index("line")

    (first, last) = positions.from_code_points_of_file(TEXT, [start, start + 4])

    assert NORMAL[first:last] == "line"


def test_code_points_with_one_line_end_are_duet_offsets():
    start = NORMAL.index("line")

    assert positions.from_code_points_one_per_line_end(TEXT, [start]) == [start]


def test_utf16_with_one_line_end_counts_each_emoji_twice():
    start = _utf16(NORMAL[: NORMAL.index("line")])

    (first,) = positions.from_utf16_one_per_line_end(TEXT, [start])

    assert NORMAL[first:].startswith("line")


def test_a_position_outside_the_text_is_marked():
    assert positions.from_code_points_one_per_line_end("abc", [4, -1]) == [-1, -1]
    assert positions.from_utf16_of_file("a😀", [3, 4]) == [2, -1]


def test_code_points_convert_to_utf16_for_writers():
    assert positions.to_utf16(NORMAL, [NORMAL.index("there")]) == [6]


def test_the_vendors_habit_decides_when_the_text_cannot():
    assert positions.choose_convention("NVivo 12", []) == positions.Convention.UTF16_FILE
    assert positions.choose_convention("ATLAS.ti 23", []) == positions.Convention.CODE_POINTS_ONE
    assert positions.choose_convention("Unknown", []) == positions.Convention.CODE_POINTS_FILE


def test_quoted_selection_names_overrule_a_wrong_habit():
    raw = TEXT[1:]
    spans = []
    for word in ["there", "line", "end", "Next"]:
        start = _utf16(raw[: raw.index(word)])
        spans.append(positions.VendorSelection(start, start + _utf16(word), word))

    chosen = positions.choose_convention("Some Tool 1.0", [(TEXT, spans)])

    assert chosen == positions.Convention.UTF16_FILE
