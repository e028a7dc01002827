"""The agreement statistics reproduce published worked examples.

Pure functions, no database: these tests never ask for the ``db`` fixture.
"""

import math

import krippendorff
import numpy as np
import pytest

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

nan = math.nan

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
# four observers, twelve units, values 1–5, missing values.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]
KRIPPENDORFF_2011_ALPHA = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}

# The same paper, section A: two observers, ten units, binary data.
KRIPPENDORFF_2011_BINARY = [
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
]

# Fleiss (1971) as reproduced on Wikipedia ("Fleiss' kappa", worked example):
# ten subjects, five categories, fourteen raters.
FLEISS_WIKIPEDIA = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]

# Fleiss (1971), table 1: thirty patients, six psychiatrists each, five
# diagnoses (1 depression, 2 personality disorder, 3 schizophrenia, 4 neurosis,
# 5 other); the paper reports kappa = 0.430 (R irr::kappam.fleiss 0.4302).
FLEISS_1971_DIAGNOSES = [
    [4, 4, 4, 4, 4, 4],
    [2, 2, 2, 5, 5, 5],
    [2, 3, 3, 3, 3, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3],
    [3, 3, 3, 3, 5, 5],
    [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4],
    [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4],
    [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3],
    [1, 4, 4, 4, 4, 4],
    [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5],
    [1, 1, 1, 1, 1, 2],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 4, 4, 4, 4, 4],
    [2, 2, 4, 5, 5, 5],
    [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4],
    [1, 1, 1, 1, 5, 5],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3],
    [5, 5, 5, 5, 5, 5],
]


def labels_from_table(table):
    """Two raters' label lists from a square contingency table (rows = rater A)."""
    a, b = [], []
    for row, counts in enumerate(table):
        for col, count in enumerate(counts):
            a += [row] * count
            b += [col] * count
    return a, b


# Krippendorff's alpha ---------------------------------------------------------


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_reproduces_krippendorff_2011_at_every_level(level):
    alpha = krippendorff_alpha(KRIPPENDORFF_2011, level)

    assert round(alpha, 3) == KRIPPENDORFF_2011_ALPHA[level]


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_agrees_with_the_krippendorff_package_on_the_2011_example(level):
    expected = krippendorff.alpha(KRIPPENDORFF_2011, level_of_measurement=level)

    assert krippendorff_alpha(KRIPPENDORFF_2011, level) == pytest.approx(expected, abs=1e-12)
    assert round(expected, 3) == KRIPPENDORFF_2011_ALPHA[level]


def test_coincidence_matrix_matches_krippendorff_2011():
    table = coincidences(KRIPPENDORFF_2011)

    third = 1 / 3
    expected = [
        [7, 4 * third, third, third, 0],
        [4 * third, 10, 4 * third, third, 0],
        [third, 4 * third, 8, third, 0],
        [third, third, third, 4, 0],
        [0, 0, 0, 0, 3],
    ]
    assert table.values.tolist() == [1, 2, 3, 4, 5]
    np.testing.assert_allclose(table.matrix, expected)
    assert table.matrix.sum(axis=0).tolist() == pytest.approx([9, 13, 10, 5, 3])


def test_alpha_takes_none_as_missing():
    with_none = [[None if math.isnan(v) else v for v in row] for row in KRIPPENDORFF_2011]

    assert round(krippendorff_alpha(with_none, "interval"), 3) == 0.849


def test_alpha_takes_labels_at_the_nominal_level():
    names = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    labelled = [[None if math.isnan(v) else names[v] for v in row] for row in KRIPPENDORFF_2011]

    assert round(krippendorff_alpha(labelled), 3) == 0.743


def test_alpha_refuses_labels_above_the_nominal_level():
    with pytest.raises(ValueError, match="numeric"):
        krippendorff_alpha([["a", "b"], ["a", "a"]], "ordinal")


def test_alpha_reproduces_the_binary_example_of_krippendorff_2011():
    assert round(krippendorff_alpha(KRIPPENDORFF_2011_BINARY), 3) == 0.095


def test_binary_coincidences_match_krippendorff_2011():
    table = coincidences(KRIPPENDORFF_2011_BINARY)

    assert table.matrix.tolist() == [[10, 4], [4, 2]]


def test_alpha_is_one_for_perfect_agreement():
    assert krippendorff_alpha([[1, 2, 3, 1], [1, 2, 3, 1]]) == 1.0
    assert krippendorff_alpha([[1, 2, nan, 1], [1, 2, 3, nan], [1, nan, 3, 1]], "interval") == 1.0


def test_alpha_is_nan_when_everything_is_missing():
    assert math.isnan(krippendorff_alpha([[nan, nan], [nan, nan]]))
    assert math.isnan(krippendorff_alpha([[None, None, None], [None, None, None]]))


def test_alpha_is_nan_without_a_pairable_unit():
    assert math.isnan(krippendorff_alpha([[1, nan, 3], [nan, 2, nan]]))
    assert math.isnan(krippendorff_alpha([[1, 2, 3]]))  # one coder
    assert math.isnan(krippendorff_alpha(np.empty((2, 0))))


def test_alpha_is_nan_without_variation():
    assert math.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))
    assert math.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]], "ratio"))


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("value", [0.35, 0.1, 0.07])
def test_alpha_is_nan_when_every_value_is_one_decimal_that_floats_cannot_hold(level, value):
    # Their mean is not exactly the value (3 × 0.35 / 3 != 0.35): once gave alpha 1.0.
    assert math.isnan(krippendorff_alpha([[value], [value], [value]], level))
    assert math.isnan(krippendorff_alpha([[value, value], [value, nan]], level))


def test_alpha_of_a_single_unit():
    assert math.isnan(krippendorff_alpha([[2], [2]]))  # agreement, but nothing to vary
    assert krippendorff_alpha([[1], [2]]) == 0.0  # D_o = 1, D_e = 2 * 1 * 1 / (2 * 1)


def test_alpha_refuses_bad_input():
    with pytest.raises(ValueError, match="coders × units"):
        krippendorff_alpha([1, 2, 3])
    with pytest.raises(ValueError, match="unknown level"):
        krippendorff_alpha([[1], [1]], "cardinal")
    with pytest.raises(ValueError, match="infinite"):
        krippendorff_alpha([[1, math.inf], [1, 2]])
    with pytest.raises(ValueError, match="non-negative"):
        krippendorff_alpha([[-1, 2], [1, 2]], "ratio")


def test_alpha_accepts_booleans_and_integers():
    as_bool = np.array(KRIPPENDORFF_2011_BINARY, dtype=bool)

    assert krippendorff_alpha(as_bool) == krippendorff_alpha(KRIPPENDORFF_2011_BINARY)
    assert krippendorff_alpha(as_bool.astype(np.uint8), "interval") == pytest.approx(
        krippendorff_alpha(KRIPPENDORFF_2011_BINARY, "interval")
    )


def test_alpha_handles_the_full_range_of_a_small_integer_type():
    data = np.array([[-128, 127, 0], [127, 127, 0]], dtype=np.int8)

    assert krippendorff_alpha(data) == krippendorff_alpha(data.astype(float))
    assert krippendorff_alpha(data, "interval") == pytest.approx(
        krippendorff.alpha(data.astype(float), level_of_measurement="interval"), abs=1e-12
    )


# Coincidence matrices -----------------------------------------------------------


def test_coincidence_matrices_of_batches_add_up_to_the_whole():
    data = np.array(KRIPPENDORFF_2011)
    whole = coincidences(data, values=[1, 2, 3, 4, 5])

    parts = [
        coincidences(data[:, part], values=[1, 2, 3, 4, 5])
        for part in (slice(0, 5), slice(5, None))
    ]
    summed = Coincidences(whole.values, sum(part.matrix for part in parts))

    np.testing.assert_allclose(summed.matrix, whole.matrix)
    for level in ("nominal", "ordinal", "interval", "ratio"):
        assert alpha_from_coincidences(summed, level) == pytest.approx(
            krippendorff_alpha(data, level), abs=1e-12
        )


def test_coincidences_keep_values_that_do_not_occur():
    table = coincidences([[0, 0], [0, 0]], values=(0, 1))

    assert table.values.tolist() == [0, 1]
    assert table.matrix.tolist() == [[4, 0], [0, 0]]


def test_coincidences_place_values_within_a_wider_domain():
    table = coincidences([[1, 2], [1, 2]], values=range(300))

    assert table.matrix.shape == (300, 300)
    assert table.matrix[1, 1] == table.matrix[2, 2] == 2
    assert table.matrix.sum() == 4


def test_coincidences_refuse_a_value_outside_the_domain():
    with pytest.raises(ValueError, match="not in the given values"):
        coincidences([[0, 2], [0, 1]], values=(0, 1))


def test_alpha_from_coincidences_refuses_a_lopsided_matrix():
    with pytest.raises(ValueError, match="symmetric"):
        alpha_from_coincidences(Coincidences(np.array([0, 1]), np.array([[1.0, 2.0], [0.0, 1.0]])))


# Percent agreement --------------------------------------------------------------


def test_percent_agreement_of_two_coders_is_the_share_of_agreeing_units():
    assert percent_agreement(KRIPPENDORFF_2011_BINARY) == pytest.approx(0.6)


def test_percent_agreement_is_the_observed_agreement_of_alpha():
    # sum of the diagonal of the 2011 coincidence matrix over n: 32 / 40
    assert percent_agreement(KRIPPENDORFF_2011) == pytest.approx(0.8)


def test_percent_agreement_is_nan_without_a_pairable_unit():
    assert math.isnan(percent_agreement([[1, nan], [nan, 1]]))


# Cohen's kappa ------------------------------------------------------------------


def test_cohen_kappa_reproduces_the_wikipedia_example():
    # 50 grant proposals: yes/yes 20, yes/no 5, no/yes 10, no/no 15.
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15

    assert round(cohen_kappa(a, b), 3) == 0.400


def test_cohen_kappa_reproduces_a_three_category_example():
    # SAS PROC FREQ's simple kappa for this 3 × 3 table is 0.4842 (the
    # printout statsmodels tests its cohens_kappa against).
    a, b = labels_from_table([[0, 4, 1], [0, 8, 0], [0, 1, 5]])

    assert round(cohen_kappa(a, b), 4) == 0.4842


def test_cohen_kappa_takes_any_hashable_labels():
    a = [("x", 1), ("y", 2), ("x", 1), ("y", 2)]
    b = [("x", 1), ("y", 2), ("y", 2), ("y", 2)]

    assert cohen_kappa(a, b) == pytest.approx(0.5)


def test_cohen_kappa_is_one_for_perfect_agreement():
    assert cohen_kappa([1, 2, 3], [1, 2, 3]) == 1.0


def test_cohen_kappa_is_nan_when_both_raters_use_one_label():
    assert math.isnan(cohen_kappa(["a", "a"], ["a", "a"]))


def test_cohen_kappa_refuses_unequal_lengths():
    with pytest.raises(ValueError, match="got 3 and 2"):
        cohen_kappa([1, 2, 3], [1, 2])


def test_cohen_kappa_refuses_empty_input():
    with pytest.raises(ValueError, match="at least one subject"):
        cohen_kappa([], [])


def test_cohen_kappa_refuses_missing_ratings():
    with pytest.raises(ValueError, match="missing rating"):
        cohen_kappa([1, None], [1, 2])
    with pytest.raises(ValueError, match="missing rating"):
        cohen_kappa([1.0, 2.0], [1.0, nan])


# Fleiss' kappa ------------------------------------------------------------------


def test_fleiss_kappa_reproduces_the_wikipedia_example():
    assert round(fleiss_kappa(FLEISS_WIKIPEDIA), 3) == 0.210


def test_fleiss_kappa_reproduces_fleiss_1971():
    counts = [np.bincount(row, minlength=6)[1:] for row in FLEISS_1971_DIAGNOSES]

    assert fleiss_kappa(counts) == pytest.approx(0.4302445, abs=1e-7)


def test_fleiss_kappa_is_one_for_perfect_agreement():
    assert fleiss_kappa([[3, 0], [0, 3], [3, 0]]) == 1.0


def test_fleiss_kappa_is_nan_when_every_rating_is_the_same():
    assert math.isnan(fleiss_kappa([[3, 0], [3, 0]]))


def test_fleiss_kappa_refuses_unequal_numbers_of_raters():
    with pytest.raises(ValueError, match="same number of raters"):
        fleiss_kappa([[2, 1], [1, 1]])


def test_fleiss_kappa_refuses_what_is_not_a_table_of_counts():
    with pytest.raises(ValueError, match="non-empty"):
        fleiss_kappa([])
    with pytest.raises(ValueError, match="whole numbers"):
        fleiss_kappa([[1.5, 0.5], [1, 1]])
    with pytest.raises(ValueError, match="whole numbers"):
        fleiss_kappa([[3, -1], [1, 1]])
    with pytest.raises(ValueError, match="at least two raters"):
        fleiss_kappa([[1, 0], [0, 1]])


# Units from spans ---------------------------------------------------------------


def test_character_units_mark_what_each_coder_covered():
    units = character_units(8, [[(1, 3), (2, 4)], [(6, 8)]], excluded=[(4, 5)])

    np.testing.assert_array_equal(
        units,
        [
            [0, 1, 1, 1, nan, 0, 0, 0],
            [0, 0, 0, 0, nan, 0, 1, 1],
        ],
    )


def test_character_units_take_an_excluded_mask():
    mask = np.zeros(6, dtype=bool)
    mask[[0, 5]] = True

    units = character_units(6, [[(0, 3)], [(2, 6)]], excluded=mask)

    np.testing.assert_array_equal(units, [[nan, 1, 1, 0, 0, nan], [nan, 0, 1, 1, 1, nan]])


def test_character_units_refuse_spans_outside_the_text():
    with pytest.raises(ValueError, match="does not lie within"):
        character_units(5, [[(3, 6)], []])
    with pytest.raises(ValueError, match="does not lie within"):
        character_units(5, [[(3, 2)], []])
    with pytest.raises(ValueError, match="does not lie within"):
        character_units(5, [[], []], excluded=[(-1, 2)])


def test_character_level_alpha_of_krippendorff_1995_example_a():
    # Krippendorff (1995), "On the reliability of unitizing contiguous data",
    # example A (24 units, Bertha and Bill), digitised as in DKPro Statistics'
    # tests: Cohen's kappa 0.385, alpha 0.329.
    units = character_units(24, [[(2, 10), (14, 20)], [(4, 8), (15, 17)]])

    assert round(krippendorff_alpha(units), 3) == 0.329
    assert round(cohen_kappa(units[0], units[1]), 3) == 0.385


def test_turn_units_mark_turns_a_coder_overlaps():
    turns = [(0, 10), (10, 20), (20, 30), (30, 40)]
    spans = [
        [(5, 12)],  # overlaps turns 0 and 1
        [(20, 30), (10, 10)],  # exactly turn 2; the empty span covers nothing
        [(0, 0), (30, 31)],  # only turn 3
    ]

    np.testing.assert_array_equal(
        turn_units(turns, spans), [[1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
    )


def test_turn_units_refuse_empty_turns():
    with pytest.raises(ValueError, match="start < end"):
        turn_units([(3, 3)], [[(0, 5)]])
