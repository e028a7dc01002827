"""Mapping spans of a transcript onto its corrected text (interviews.anchoring, pure)."""

import unicodedata

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from interviews.anchoring import SpanState, text_map

# Letters, spaces, line breaks, a precomposed accent and astral characters (one code point each).
ALPHABET = st.sampled_from([*"abcde fghij\n", "é", "😀", "𝄞", "Ω"])
TEXTS = st.text(ALPHABET, min_size=1, max_size=300)
# Drawing texts of 300 characters is slow on a busy machine; the examples are what count.
bounded = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def canonical(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n"))


@st.composite
def spans_of(draw, text: str, count: int = 8) -> list[tuple[int, int]]:
    spans = []
    for _ in range(draw(st.integers(1, count))):
        start = draw(st.integers(0, len(text) - 1))
        spans.append((start, draw(st.integers(start + 1, len(text)))))
    return spans


@st.composite
def edits(draw):
    """A text, spans of it, and one edit: old[a:b] replaced (an insertion when a == b)."""
    old = draw(TEXTS)
    a = draw(st.integers(0, len(old)))
    b = draw(st.integers(a, min(len(old), a + 40)))
    replacement = draw(st.text(ALPHABET, max_size=40))
    assume(a < b or replacement)
    return old, draw(spans_of(old)), a, b, replacement


def untouched(start: int, end: int, a: int, b: int) -> bool:
    """The edit [a, b) neither overlaps the span nor inserts inside it."""
    return end <= a or start >= b if a < b else a <= start or a >= end


@bounded
@given(edits())
def test_a_span_the_edit_does_not_touch_keeps_exactly_its_text(case):
    old, spans, a, b, replacement = case
    new = old[:a] + replacement + old[b:]
    mapping = text_map(old, new)
    for start, end in spans:
        if untouched(start, end, a, b):
            mapped = mapping.span(start, end)
            assert mapped.state is SpanState.UNCHANGED, (start, end)
            assert new[mapped.start : mapped.end] == old[start:end]


@bounded
@given(edits())
def test_every_span_is_unchanged_with_its_text_changed_inside_the_text_or_vanished(case):
    old, spans, a, b, replacement = case
    new = old[:a] + replacement + old[b:]
    mapping = text_map(old, new)
    for start, end in spans:
        mapped = mapping.span(start, end)
        assert 0 <= mapped.start <= mapped.end <= len(new)
        if mapped.state is SpanState.UNCHANGED:
            assert new[mapped.start : mapped.end] == old[start:end]
        elif mapped.state is SpanState.CHANGED:
            assert mapped.start < mapped.end
        else:
            assert mapped.start == mapped.end


@bounded
@given(TEXTS, st.data())
def test_many_edits_never_lose_a_span_nor_misplace_an_unchanged_one(old, data):
    new = data.draw(TEXTS)
    mapping = text_map(old, new)
    for start, end in data.draw(spans_of(old)):
        mapped = mapping.span(start, end)
        assert 0 <= mapped.start <= mapped.end <= len(new)
        if mapped.state is SpanState.UNCHANGED:
            assert new[mapped.start : mapped.end] == old[start:end]


@bounded
@given(TEXTS, st.data())
def test_line_endings_from_crlf_to_lf_change_no_span(text, data):
    old = text.replace("\n", "\r\n")
    mapping = text_map(old, text)
    for start, end in data.draw(spans_of(old)):
        assume(not (old[start - 1 : start] == "\r" or old[end - 1 : end] == "\r"))
        mapped = mapping.span(start, end)
        assert mapped.state is SpanState.UNCHANGED
        assert text[mapped.start : mapped.end] == old[start:end].replace("\r\n", "\n")


@bounded
@given(TEXTS, st.data())
def test_normalisation_from_nfc_to_nfd_changes_no_span(text, data):
    new = unicodedata.normalize("NFD", text)
    mapping = text_map(text, new)
    for start, end in data.draw(spans_of(text)):
        mapped = mapping.span(start, end)
        assert mapped.state is SpanState.UNCHANGED
        assert canonical(new[mapped.start : mapped.end]) == text[start:end]


def test_offsets_count_an_astral_character_as_one():
    mapping = text_map("a 😀 coded here", "a 😀 new, coded here")
    mapped = mapping.span(4, 9)
    assert (mapped.start, mapped.end, mapped.state) == (9, 14, SpanState.UNCHANGED)


def test_a_span_partly_replaced_covers_its_replacement_and_one_inside_it_vanishes():
    old, new = "I said: she held my hand. Then a sentence that goes.", "I said: she held my arm."
    mapping = text_map(old, new)
    changed, gone = mapping.span(8, 24), mapping.span(31, 51)
    assert (new[changed.start : changed.end], changed.state) == ("she held my arm", "changed")
    assert gone.state is SpanState.VANISHED


def test_a_span_whose_words_changed_maps_onto_the_new_words():
    mapping = text_map("she held my hand firmly", "she held my arm firmly")
    mapped = mapping.span(4, 16)
    assert mapped.state is SpanState.CHANGED
    assert "she held my arm firmly"[mapped.start : mapped.end] == "held my arm"


def test_a_span_whose_text_is_gone_vanishes_at_the_place_it_was():
    mapping = text_map("before. A deleted sentence. after", "before. after")
    mapped = mapping.span(8, 27)
    assert mapped.state is SpanState.VANISHED
    assert mapped.start == mapped.end and mapped.start in (7, 8)  # the deletion's either end
