"""Scrubbing words out of stored text and JSON replaces each occurrence once, the
longest of overlapping words first, and counts what it replaced; keys, which are
field names, are left alone."""

from hypothesis import given
from hypothesis import strategies as st

from dyads.text import scrub_pattern, scrub_strings

json_values = st.recursive(
    st.text(alphabet="ab[]", max_size=12) | st.integers() | st.none(),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(alphabet="xyz", max_size=3), children, max_size=3)
    ),
    max_leaves=10,
)


def test_nested_json_loses_every_occurrence_and_keeps_its_shape():
    value = {"text": "Ingrid Berg met Ingrid.", "items": ["Berg", 3, None], "n": 1}

    scrubbed, count = scrub_strings(value, scrub_pattern(["Ingrid", "Ingrid Berg"]), "[erased]")

    assert scrubbed == {"text": "[erased] met [erased].", "items": ["Berg", 3, None], "n": 1}
    assert count == 2


def test_no_words_change_nothing():
    assert scrub_strings({"a": "b"}, scrub_pattern(["", ""]), "x") == ({"a": "b"}, 0)


@given(json_values, st.text(alphabet="ab", min_size=1, max_size=3))
def test_no_occurrence_is_left_when_the_replacement_cannot_make_one(value, word):
    scrubbed, count = scrub_strings(value, scrub_pattern([word]), "[]")

    assert word not in str(scrubbed)
    assert (count == 0) == (scrubbed == value)
