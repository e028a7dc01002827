"""Present/absent tallies, character runs and table-based kappas (analysis.agreement)
reproduce published examples and agree with independent implementations.

Krippendorff's alpha is checked against the ``krippendorff`` package and
Cohen's kappa against scikit-learn on random data (hypothesis), to 1e-9.
Pure functions, no database.
"""

import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from analysis.agreement.coefficients import (
    cohen_kappa,
    cohen_kappa_from_table,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
)
from analysis.agreement.tallies import binary_tally
from analysis.agreement.units import character_units, coverage_runs
from tests.analysis.agreement.test_agreement_statistics import (
    FLEISS_WIKIPEDIA,
    KRIPPENDORFF_2011_BINARY,
)

TOLERANCE = {"rel": 1e-9, "abs": 1e-9}
bounded = settings(max_examples=100, deadline=None, database=None)
nan = math.nan


def package_alpha(data: np.ndarray) -> float:
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            return float(krippendorff.alpha(data, level_of_measurement="nominal"))
        except ValueError:  # no variation or nothing pairable
            return math.nan


def same(ours: float, theirs: float) -> bool:
    return math.isnan(ours) if math.isnan(theirs) else ours == pytest.approx(theirs, **TOLERANCE)


# Published examples, through the tally -------------------------------------------


def test_the_tally_reproduces_the_binary_example_of_krippendorff_2011():
    figures = binary_tally(KRIPPENDORFF_2011_BINARY).coefficients()

    assert round(figures.krippendorff_alpha, 3) == 0.095
    assert figures.percent_agreement == 0.6
    assert figures.units == 10


def test_kappa_from_a_table_reproduces_the_wikipedia_example():
    # 50 grant proposals: yes/yes 20, yes/no 5, no/yes 10, no/no 15.
    assert round(cohen_kappa_from_table([[20, 5], [10, 15]]), 3) == 0.400


def test_the_tally_of_the_wikipedia_example_gives_its_kappa():
    a = [1] * 25 + [0] * 25
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15

    assert round(binary_tally([a, b]).coefficients().cohen_kappa, 3) == 0.400


def test_weighted_fleiss_kappa_reproduces_the_wikipedia_example_with_rows_merged():
    rows = [*FLEISS_WIKIPEDIA, *FLEISS_WIKIPEDIA[:3]]
    distinct, repeats = np.unique(np.array(rows), axis=0, return_counts=True)

    assert fleiss_kappa(distinct, weights=repeats) == pytest.approx(fleiss_kappa(rows))
    assert round(fleiss_kappa(FLEISS_WIKIPEDIA, weights=[1] * 10), 3) == 0.210


def test_fleiss_kappa_is_nan_when_every_weight_is_zero():
    assert math.isnan(fleiss_kappa([[1, 1], [2, 0]], weights=[0, 0]))


def test_fleiss_kappa_refuses_bad_weights():
    with pytest.raises(ValueError, match="one non-negative weight per subject row"):
        fleiss_kappa([[1, 1], [2, 0]], weights=[1, -1])
    with pytest.raises(ValueError, match="one non-negative weight per subject row"):
        fleiss_kappa([[1, 1], [2, 0]], weights=[1])


def test_kappa_from_a_table_refuses_what_is_not_a_square_table_of_counts():
    with pytest.raises(ValueError, match="square"):
        cohen_kappa_from_table([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ValueError, match="negative"):
        cohen_kappa_from_table([[1, -2], [3, 4]])
    assert math.isnan(cohen_kappa_from_table([[0, 0], [0, 0]]))


def test_binary_tally_refuses_values_other_than_one_zero_and_missing():
    with pytest.raises(ValueError, match="only 1, 0 and NaN"):
        binary_tally([[1, 2], [0, 1]])
    with pytest.raises(ValueError, match="weights"):
        binary_tally([[1, 0], [0, 1]], weights=[1, 2, 3])


def test_a_tally_with_leading_axes_must_be_summed_before_its_coefficients():
    tally = binary_tally(np.zeros((3, 2, 5)))
    with pytest.raises(ValueError, match="sum the tally"):
        tally.coefficients()
    assert tally.total().pairable == 15


# Random data against the packages ------------------------------------------------------


@st.composite
def present_absent(draw, *, coders=None, missing=True):
    """A coders × units matrix of 0, 1 and (if `missing`) NaN."""
    count = coders or draw(st.integers(2, 5))
    units = draw(st.integers(1, 40))
    values = st.sampled_from([0.0, 1.0, nan] if missing else [0.0, 1.0])
    cells = draw(st.lists(values, min_size=count * units, max_size=count * units))
    return np.array(cells).reshape(count, units)


@bounded
@given(data=present_absent())
def test_tally_alpha_and_percent_agreement_match_with_missing_values(data):
    figures = binary_tally(data).coefficients()

    assert same(figures.krippendorff_alpha, package_alpha(data))
    assert same(figures.krippendorff_alpha, krippendorff_alpha(data))
    assert same(figures.percent_agreement, percent_agreement(data))


@settings(max_examples=25, deadline=None, database=None)
@given(data=present_absent(coders=8))
def test_many_coders_are_tallied_unit_by_unit_with_the_same_figures(data):
    # 3**8 patterns of 0, 1 and missing is more than binary_tally counts at once.
    figures = binary_tally(data).coefficients()

    assert same(figures.krippendorff_alpha, package_alpha(data))
    assert same(figures.percent_agreement, percent_agreement(data))


@bounded
@given(data=present_absent(coders=2, missing=False))
def test_tally_cohen_kappa_matches_scikit_learn(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = float(cohen_kappa_score(data[0], data[1]))

    assert same(binary_tally(data).coefficients().cohen_kappa, expected)
    assert same(cohen_kappa_from_table(binary_tally(data).pairs[0, 1]), cohen_kappa(*data))


@bounded
@given(data=present_absent(missing=False))
def test_tally_fleiss_kappa_matches_the_table_of_counts(data):
    ones = data.sum(axis=0)
    counts = np.stack([data.shape[0] - ones, ones], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = fleiss_kappa(counts)

    assert same(binary_tally(data).coefficients().fleiss_kappa, expected)


@bounded
@given(data=present_absent(coders=3))
def test_pair_figures_are_the_figures_of_the_two_coders_alone(data):
    pair = binary_tally(data).pair_coefficients(0, 2)
    alone = binary_tally(data[[0, 2]]).coefficients()

    assert same(pair.krippendorff_alpha, alone.krippendorff_alpha)
    assert same(pair.cohen_kappa, alone.cohen_kappa)
    assert same(pair.percent_agreement, alone.percent_agreement)
    assert same(pair.fleiss_kappa, alone.fleiss_kappa)
    assert pair.units == alone.units


@bounded
@given(data=present_absent(), weights=st.lists(st.integers(0, 4), min_size=40, max_size=40))
def test_weights_count_a_unit_as_often_as_it_is_repeated(data, weights):
    repeat = np.array(weights[: data.shape[1]])

    weighted = binary_tally(data, repeat).coefficients()
    repeated = binary_tally(np.repeat(data, repeat, axis=1)).coefficients()

    for ours, theirs in zip(weighted, repeated, strict=True):
        assert same(ours, theirs)


@bounded
@given(data=present_absent(), cut=st.integers(0, 40))
def test_tallies_of_two_batches_add_up_to_the_tally_of_all(data, cut):
    cut = min(cut, data.shape[1])
    whole = binary_tally(data).coefficients()
    summed = (binary_tally(data[:, :cut]) + binary_tally(data[:, cut:])).coefficients()

    for ours, theirs in zip(summed, whole, strict=True):
        assert same(ours, theirs)


# Character runs ---------------------------------------------------------------


spans = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 60)).map(sorted).map(tuple), max_size=6
)


@bounded
@given(
    by_code=st.lists(st.lists(spans, min_size=2, max_size=2), min_size=1, max_size=3),
    excluded=spans,
)
def test_runs_repeated_by_their_weights_are_the_character_units(by_code, excluded):
    rows = [
        (code, coder, start, end)
        for code, by_coder in enumerate(by_code)
        for coder, coder_spans in enumerate(by_coder)
        for start, end in coder_spans
    ]

    data, weights = coverage_runs(60, rows, codes=len(by_code), coders=2, excluded=excluded)

    for code, by_coder in enumerate(by_code):
        units = character_units(60, by_coder, excluded=excluded)
        kept = units[:, ~np.isnan(units[0])]
        assert np.array_equal(np.repeat(data[code], weights, axis=1), kept)
        assert same(
            binary_tally(data[code], weights).coefficients().krippendorff_alpha,
            package_alpha(units),
        )


def test_runs_refuse_spans_outside_the_text_and_unknown_codes():
    with pytest.raises(ValueError, match=r"span \(5, 70\)"):
        coverage_runs(60, [(0, 0, 5, 70)], codes=1, coders=1)
    with pytest.raises(ValueError, match=r"codes must lie in 0\.\.0"):
        coverage_runs(60, [(1, 0, 5, 7)], codes=1, coders=1)
    with pytest.raises(ValueError, match=r"span \(50, 61\)"):
        coverage_runs(60, [], codes=1, coders=1, excluded=[(50, 61)])


def test_runs_and_tallies_of_no_code_at_all_are_empty():
    data, weights = coverage_runs(60, [], codes=0, coders=2, excluded=[(0, 10)])

    assert data.shape == (0, 2, 1)
    assert weights.tolist() == [50]
    assert binary_tally(data, weights).pairable.shape == (0,)


def test_runs_of_an_empty_text_are_empty():
    data, weights = coverage_runs(0, [], codes=2, coders=2)

    assert data.shape == (2, 2, 0)
    assert weights.size == 0
