"""Passages: where coders applied a code and whether they did it alike
(analysis.agreement.passages). Pure functions, no database."""

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.agreement.passages import intersect, layers, merge, passages, subtract

bounded = settings(max_examples=150, deadline=None, database=None)


def covered(spans) -> set[int]:
    return {point for start, end in spans for point in range(start, end)}


def test_overlapping_and_touching_spans_make_one_passage_with_each_coders_version():
    found = passages([(7, 0, 10, 20), (7, 1, 15, 30), (7, 1, 30, 35), (7, 0, 40, 50)], coders=2)

    first, second = found
    assert (first.start, first.end) == (10, 35)
    assert first.versions == (((10, 20),), ((15, 35),))
    assert not first.agreed
    assert first.overlap == ((15, 20),)
    assert (second.start, second.end, second.versions) == (40, 50, (((40, 50),), ()))


def test_a_passage_both_coders_coded_alike_is_agreed():
    (found,) = passages([(1, 0, 5, 9), (1, 1, 5, 7), (1, 1, 7, 9)], coders=2)

    assert found.agreed
    assert found.versions == (((5, 9),), ((5, 9),))


def test_codes_make_passages_of_their_own():
    found = passages([(1, 0, 5, 9), (2, 1, 5, 9)], coders=2)

    assert [(p.code, p.agreed) for p in found] == [(1, False), (2, False)]


def test_a_coder_who_did_not_code_the_text_has_no_version_and_does_not_disagree():
    (found,) = passages([(1, 0, 5, 9)], coders=2, missing=[1])

    assert found.versions == (((5, 9),), None)
    assert found.agreed
    assert found.overlap == ((5, 9),)


def test_span_helpers():
    assert merge([(5, 8), (1, 3), (3, 4), (7, 9), (10, 10)]) == [(1, 4), (5, 9)]
    assert intersect([(0, 5), (8, 12)], [(3, 9), (11, 20)]) == [(3, 5), (8, 9), (11, 12)]
    assert subtract([(0, 10)], [(2, 3), (5, 7)]) == [(0, 2), (3, 5), (7, 10)]
    assert layers(0, 10, [(2, 6, "a"), (4, 12, "b")]) == [
        (0, 2, []),
        (2, 4, ["a"]),
        (4, 6, ["a", "b"]),
        (6, 10, ["b"]),
    ]


spans = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 40)).map(sorted).map(tuple), max_size=6
)


@bounded
@given(by_coder=st.lists(spans, min_size=2, max_size=3))
def test_passages_partition_the_union_and_keep_every_coders_coverage(by_coder):
    rows = [(0, coder, s, e) for coder, found in enumerate(by_coder) for s, e in found]

    found = passages(rows, coders=len(by_coder))

    union = covered(span for found_spans in by_coder for span in found_spans)
    assert set().union(*(covered([(p.start, p.end)]) for p in found)) == union
    for before, after in pairwise(found):
        assert before.end < after.start  # apart: touching spans would have joined
    for coder, coder_spans in enumerate(by_coder):
        mine = set().union(*(covered(p.versions[coder]) for p in found))
        assert mine == covered(coder_spans)
    for passage in found:
        inside = [covered(version) for version in passage.versions]
        assert passage.agreed == all(points == inside[0] for points in inside)
        assert covered(passage.overlap) == set.intersection(*inside)
