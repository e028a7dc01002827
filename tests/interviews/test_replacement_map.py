"""A redaction's map of offsets is exact: a span's ends keep their place in the text
around them, and a span touching a replaced occurrence takes in its whole replacement."""

from hypothesis import given
from hypothesis import strategies as st

from interviews.anchoring import SpanState
from interviews.replacement_map import ReplacementMap

texts = st.text(alphabet="ab ", max_size=40)
needles = st.text(alphabet="ab", min_size=1, max_size=3)
replacements = st.text(alphabet="xy", min_size=1, max_size=5)


def inside_an_occurrence(text: str, needle: str, offset: int) -> bool:
    found = text.find(needle)
    while found != -1:
        if found < offset < found + len(needle):
            return True
        found = text.find(needle, found + len(needle))
    return False


@given(texts, needles, replacements, st.data())
def test_an_offset_between_occurrences_keeps_the_text_before_it(text, needle, replacement, data):
    offset = data.draw(st.integers(0, len(text)))
    mapping = ReplacementMap(text, needle, replacement)

    span = mapping.span(offset, offset)

    if not inside_an_occurrence(text, needle, offset):
        assert span.start == span.end == len(text[:offset].replace(needle, replacement))


@given(texts, needles, replacements, st.data())
def test_a_span_stays_inside_the_new_text_and_in_order(text, needle, replacement, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    new_text = text.replace(needle, replacement)

    span = ReplacementMap(text, needle, replacement).span(start, end)

    assert 0 <= span.start <= span.end <= len(new_text)


def test_a_span_over_the_name_takes_in_the_whole_replacement():
    text = "My sister Ingrid. Nothing."
    mapping = ReplacementMap(text, "Ingrid", "[redacted]")
    new_text = text.replace("Ingrid", "[redacted]")

    named = mapping.span(text.index("My"), text.index("."))
    part = mapping.span(text.index("grid"), text.index("grid") + 2)
    after = mapping.span(text.index("Nothing"), len(text))

    assert (new_text[named.start : named.end], named.state) == ("My sister [redacted]", "changed")
    assert new_text[part.start : part.end] == "[redacted]"
    assert (new_text[after.start : after.end], after.state) == ("Nothing.", SpanState.UNCHANGED)
