"""The agreement statistics agree with independent implementations on random data.

Krippendorff's alpha is checked against the ``krippendorff`` package and
Cohen's kappa against scikit-learn, to 1e-9. Pure functions, no database.
"""

import itertools
import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from analysis.agreement.coefficients import (
    Coincidences,
    alpha_from_coincidences,
    cohen_kappa,
    coincidences,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
)
from analysis.agreement.units import character_units, turn_units

LEVELS = ["nominal", "ordinal", "interval", "ratio"]
TOLERANCE = {"rel_tol": 1e-9, "abs_tol": 1e-9}

bounded = settings(max_examples=100, deadline=None, database=None)


def same(ours: float, theirs: float) -> bool:
    if math.isnan(theirs):
        return math.isnan(ours)
    return math.isclose(ours, theirs, **TOLERANCE)


def package_alpha(data: np.ndarray, level: str) -> float:
    """The package's alpha, NaN where it refuses (no variation, nothing pairable)."""
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            return float(krippendorff.alpha(data, level_of_measurement=level))
        except ValueError:
            return math.nan


@st.composite
def reliability_data(draw, values):
    """A coders × units float matrix with NaN for missing values."""
    coders = draw(st.integers(1, 5))
    units = draw(st.integers(1, 25))
    cells = draw(
        st.lists(st.one_of(st.none(), values), min_size=coders * units, max_size=coders * units)
    )
    return np.array([math.nan if v is None else v for v in cells], dtype=float).reshape(
        coders, units
    )


small_whole_numbers = st.integers(0, 6)
decimals = st.integers(0, 50_000).map(lambda v: v / 100)


@bounded
@given(data=reliability_data(small_whole_numbers))
def test_alpha_matches_the_package_on_rating_scales(data):
    for level in LEVELS:
        assert same(krippendorff_alpha(data, level), package_alpha(data, level)), level


@bounded
@given(data=reliability_data(decimals))
def test_alpha_matches_the_package_on_decimal_values(data):
    for level in LEVELS:
        assert same(krippendorff_alpha(data, level), package_alpha(data, level)), level


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_matches_the_package_with_many_distinct_values(level):
    # Over 256 distinct values takes the sparse path instead of the dense table.
    # (The package builds units × values × values arrays, so keep it small.)
    rng = np.random.default_rng(7)
    true_scores = rng.uniform(1, 100, 90)
    data = np.round(true_scores + rng.normal(0, 5, (4, 90)), 2).clip(0)
    data[rng.random(data.shape) < 0.1] = math.nan

    assert len(np.unique(data[~np.isnan(data)])) > 256
    assert same(krippendorff_alpha(data, level), package_alpha(data, level))


@bounded
@given(data=reliability_data(small_whole_numbers))
def test_alpha_from_summed_coincidences_equals_alpha_of_all_units(data):
    domain = range(7)
    cut = data.shape[1] // 2
    summed = coincidences(data[:, :cut], values=domain).matrix
    summed = summed + coincidences(data[:, cut:], values=domain).matrix
    pooled = Coincidences(np.arange(7), summed)

    for level in LEVELS:
        assert same(alpha_from_coincidences(pooled, level), krippendorff_alpha(data, level))


@bounded
@given(
    pairs=st.lists(
        st.tuples(st.sampled_from("abcd"), st.sampled_from("abcd")), min_size=1, max_size=60
    )
)
def test_cohen_kappa_matches_scikit_learn(pairs):
    a, b = zip(*pairs, strict=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = float(cohen_kappa_score(a, b))

    assert same(cohen_kappa(a, b), expected)


@bounded
@given(pairs=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=60))
def test_two_coder_statistics_agree_with_each_other(pairs):
    a, b = (np.array(side) for side in zip(*pairs, strict=True))
    counts = np.zeros((len(a), 4))
    np.add.at(counts, (np.arange(len(a)), a), 1)
    np.add.at(counts, (np.arange(len(b)), b), 1)

    # Fleiss' kappa for two raters is Scott's pi, and Krippendorff's alpha is
    # pi corrected for the number of values n: alpha = 1 - (1 - pi)(n - 1) / n.
    pi = fleiss_kappa(counts)
    n = 2 * len(a)
    alpha = krippendorff_alpha([a, b])
    assert same(alpha, 1 - (1 - pi) * (n - 1) / n)
    assert percent_agreement([a, b]) == pytest.approx(np.mean(a == b), abs=1e-12)


spans = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 60)).map(sorted).map(tuple), max_size=6
)


@bounded
@given(by_coder=st.lists(spans, min_size=1, max_size=3), excluded=spans)
def test_character_units_match_a_character_by_character_reading(by_coder, excluded):
    units = character_units(60, by_coder, excluded=excluded)

    for coder, coder_spans in enumerate(by_coder):
        for offset in range(60):
            if any(start <= offset < end for start, end in excluded):
                assert math.isnan(units[coder, offset])
            else:
                inside = any(start <= offset < end for start, end in coder_spans)
                assert units[coder, offset] == inside


@bounded
@given(
    cuts=st.lists(st.integers(1, 59), unique=True, max_size=8).map(sorted),
    by_coder=st.lists(spans, min_size=1, max_size=3),
)
def test_turn_units_match_a_turn_by_turn_reading(cuts, by_coder):
    edges = [0, *cuts, 60]
    turns = list(itertools.pairwise(edges))

    units = turn_units(turns, by_coder)

    for coder, coder_spans in enumerate(by_coder):
        for turn, (turn_start, turn_end) in enumerate(turns):
            overlaps = any(
                max(start, turn_start) < min(end, turn_end) for start, end in coder_spans
            )
            assert units[coder, turn] == overlaps
