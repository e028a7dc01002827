"""Inter-coder agreement statistics, kept free of Django so that each function
can be checked against the literature on its own.

Reliability data are a coders × units matrix: one row per coder, one column
per unit (a character, a turn, a segment), each cell the value the coder gave
the unit. ``None`` or NaN marks a value the coder did not give.

Krippendorff's alpha follows the coincidence-matrix formulation of
Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability":

* A unit is *pairable* when at least two coders gave it a value; other units
  carry no information about agreement and are left out.
* The coincidence matrix counts, over pairable units ``u`` with ``m_u`` values,
  every ordered pair of values from two different coders, weighted by
  ``1 / (m_u - 1)``: ``o_ck = sum_u (number of c-k pairs in u) / (m_u - 1)``.
  Its marginals are ``n_c = sum_k o_ck`` and ``n = sum_c n_c``, the number of
  pairable values.
* ``alpha = 1 - D_o / D_e = 1 - (n - 1) * sum o_ck δ²_ck / sum n_c n_k δ²_ck``
  with the difference function δ² of the level of measurement:

  - nominal: 0 when ``c == k``, else 1;
  - ordinal: ``(sum_{g=c..k} n_g - (n_c + n_k) / 2)²``, ranks from the
    marginals (which is the interval metric on the mid-ranks
    ``cumsum(n)_c - n_c / 2``);
  - interval: ``(c - k)²``;
  - ratio: ``((c - k) / (c + k))²``, taken as 0 when ``c == k == 0``; ratio
    values must not be negative.

Alpha is NaN, not an exception, when it is undefined: no unit is pairable, or
the expected disagreement is zero because every pairable value is the same
(there is no variation to agree about). Callers show NaN as "not computable".

Performance: values are integer-coded once (by offset for small whole numbers,
so present/absent data are never sorted), then the value pairs of every pair
of coders are counted in one vectorised pass over all units (``np.bincount``,
or one comparison per cell when there are few values); nothing loops over
units in Python. Two coders × 1.5 million present/absent character units take
about ten milliseconds. The cost grows with ``coders² × units``, which suits
the handful of analysts a study has.

Character-level data for one code come from :func:`character_units` (a unit
per code point, 1 = inside one of the coder's spans) and turn-level data from
:func:`turn_units`. Coincidence matrices add up over units, so agreement over
many transcripts or many codes is the alpha of the summed matrices from
:func:`coincidences` with a fixed ``values`` domain (see
``bench/bench_agreement.py``).

For present/absent data of many codes at once (what Duet's agreement pages
compute), :func:`coverage_runs` cuts a text at every span boundary into runs
of code points within which no coder's value changes, and :func:`binary_tally`
tallies every code over those runs, each weighted by its length: the
coincidence matrix, the coder-pair tables Cohen's kappa needs, and the counts
Fleiss' kappa needs. Tallies add up like coincidence matrices; every
coefficient follows from them (:meth:`BinaryTally.coefficients`,
:func:`cohen_kappa_from_table`, :func:`fleiss_kappa` with ``weights``). The
cost grows with the number of spans, not with the length of the texts.

Not provided: Krippendorff's unitizing alpha, which scores where coders put
span *boundaries* rather than which code points they cover: αU of "On the
reliability of unitizing contiguous data" (1995) and "Measuring the
reliability of qualitative text analysis data" (2004), and the uα, |uα, cuα
and (c)uα family of Krippendorff, Mathet, Bouvry and Milliat (2016). It is
left out because there is no published value to check an implementation
against exactly: the best-known reimplementation (DKPro Statistics) matches
the 1995 worked example only to ±0.02, and only once the continuum is
stretched, its authors suspecting a misprint in the 1995 expected
disagreement; the 2016 paper redefines the coefficients. Character-level alpha per code is the "digitised"
comparison Krippendorff (1995) sets against αU: it credits overlap exactly
but does not penalise one coder splitting a passage the other coded as one
span."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")

# Value sets up to this size are counted into a dense (V+1)² table with
# np.bincount; larger ones (continuous ratings) are aggregated with np.unique.
_DENSE_VALUES = 256
# Integer data whose range is at most this wide are coded by offset, not sorted.
_OFFSET_RANGE = 1 << 16
# Up to this many cells, one comparison per cell beats np.bincount, whose
# increments of the same few counters serialise.
_FEW_CODES = 16
# Rows of the V × V ratio-metric table computed at a time.
_RATIO_BLOCK = 1024


class Coincidences(NamedTuple):
    """A coincidence matrix and the values its rows and columns stand for.

    ``values`` is sorted when the data are numeric. Matrices built with the
    same ``values`` domain add up: the sum is the matrix of the pooled units.
    """

    values: np.ndarray
    matrix: np.ndarray


def krippendorff_alpha(reliability_data: npt.ArrayLike, level: Level = "nominal") -> float:
    """Krippendorff's alpha of a coders × units matrix (``None``/NaN = missing).

    ``level`` is ``"nominal"``, ``"ordinal"``, ``"interval"`` or ``"ratio"``;
    only nominal accepts non-numeric labels. Returns NaN when alpha is
    undefined: no unit has two or more values, or all pairable values are equal.
    """
    _check_level(level)
    values, codes = _encode(reliability_data, compact=False)
    rows, cols, weights = _coincidence_entries(codes, len(values))
    return _alpha(values, rows, cols, weights, level)


def coincidences(
    reliability_data: npt.ArrayLike, *, values: Sequence[Hashable] | None = None
) -> Coincidences:
    """The coincidence matrix ``o_ck`` of a coders × units matrix.

    ``values`` fixes the value domain (numeric domains are sorted), so that
    matrices from different batches of units line up and can be summed; a
    value outside it raises ValueError. By default the domain is the values
    that occur.
    """
    found, codes = _encode(reliability_data, compact=values is None)
    if values is not None:
        domain, position = _domain(values)
        remap = np.array([position.get(value, -1) for value in found.tolist()], dtype=np.intp)
        outside = remap < 0
        if outside.any():
            occurring = found[outside & (_count(codes, len(found)) > 0)]
            if occurring.size:
                raise ValueError(f"value {occurring[0]!r} is not in the given values")
        if not np.array_equal(remap, np.arange(len(domain))):
            codes = _recode(codes, remap)
        found = domain
    size = len(found)
    rows, cols, weights = _coincidence_entries(codes, size)
    matrix = np.bincount(rows * size + cols, weights=weights, minlength=size * size)
    return Coincidences(found, matrix.reshape(size, size))


def alpha_from_coincidences(table: Coincidences, level: Level = "nominal") -> float:
    """Krippendorff's alpha from a (possibly summed) coincidence matrix."""
    _check_level(level)
    values = np.asarray(table.values)
    matrix = np.asarray(table.matrix, dtype=np.float64)
    if matrix.shape != (len(values), len(values)):
        raise ValueError("the coincidence matrix must be square, one row per value")
    if np.any(matrix < 0) or not np.allclose(matrix, matrix.T):
        raise ValueError("a coincidence matrix is symmetric and non-negative")
    rows, cols = np.nonzero(matrix)
    return _alpha(values, rows, cols, matrix[rows, cols], level)


def percent_agreement(reliability_data: npt.ArrayLike) -> float:
    """The share of agreeing pairs among all pairable values: ``sum_c o_cc / n``.

    Within each pairable unit every ordered pair of values from two different
    coders is compared, weighted by ``1 / (m_u - 1)`` so that each unit counts
    as many times as it has values. This is Krippendorff's observed agreement
    ``1 - D_o`` at the nominal level. For two coders without missing values it
    is the share of units on which they agree. NaN when no unit is pairable.
    """
    values, codes = _encode(reliability_data, compact=False)
    rows, cols, weights = _coincidence_entries(codes, len(values))
    total = weights.sum()
    if total == 0:
        return math.nan
    return float(weights[rows == cols].sum() / total)


def cohen_kappa(rater_a: Iterable[Hashable], rater_b: Iterable[Hashable]) -> float:
    """Cohen's kappa between two raters' labels for the same subjects.

    Labels may be any hashable values. Kappa has no notion of a missing
    rating: ``None`` or NaN raises ValueError (use :func:`krippendorff_alpha`
    for incomplete data). Returns NaN when chance agreement is 1, i.e. both
    raters used one and the same label throughout.
    """
    a = list(rater_a)
    b = list(rater_b)
    if len(a) != len(b):
        raise ValueError(
            f"Cohen's kappa needs one label per subject from each rater: got {len(a)} and {len(b)}"
        )
    if not a:
        raise ValueError("Cohen's kappa needs at least one subject")
    codes, size = _factorize_labels(a + b)
    table = np.bincount(codes[: len(a)] * size + codes[len(a) :], minlength=size * size)
    return cohen_kappa_from_table(table.reshape(size, size))


def cohen_kappa_from_table(table: npt.ArrayLike) -> float:
    """Cohen's kappa from a k × k contingency table of two raters.

    ``table[a, b]`` counts the subjects rater A put in category ``a`` and rater
    B in ``b`` (counts may be fractional weights). Returns NaN when there is no
    subject or chance agreement is 1.
    """
    counts = np.asarray(table, dtype=np.float64)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise ValueError("Cohen's kappa needs a square table, one row and column per category")
    if np.any(counts < 0):
        raise ValueError("a contingency table cannot hold negative counts")
    subjects = counts.sum()
    if subjects == 0:
        return math.nan
    observed = np.trace(counts) / subjects
    chance = float(counts.sum(axis=1) @ counts.sum(axis=0)) / subjects**2
    if chance >= 1:
        return math.nan
    return float((observed - chance) / (1 - chance))


def fleiss_kappa(counts: npt.ArrayLike, *, weights: npt.ArrayLike | None = None) -> float:
    """Fleiss' kappa (1971) from a subjects × categories table of counts.

    Each cell is the number of raters who put the subject in the category;
    every row must sum to the same number of raters, at least two. Returns NaN
    when chance agreement is 1 (every rating is the same category).

    ``weights`` gives how many subjects each row stands for (default one
    each), so that many subjects with the same counts can be one row; rows of
    weight zero are ignored, and NaN is returned when all weights are zero.
    """
    table = np.asarray(counts, dtype=np.float64)
    if table.ndim != 2 or table.shape[0] == 0 or table.shape[1] == 0:
        raise ValueError("Fleiss' kappa needs a non-empty subjects × categories table")
    if weights is None:
        repeats = np.ones(table.shape[0])
    else:
        repeats = np.asarray(weights, dtype=np.float64)
        if repeats.shape != (table.shape[0],) or np.any(~np.isfinite(repeats) | (repeats < 0)):
            raise ValueError("Fleiss' kappa needs one non-negative weight per subject row")
        if repeats.sum() == 0:
            return math.nan
    if not np.all(np.isfinite(table)) or np.any(table < 0) or np.any(table != np.round(table)):
        raise ValueError("Fleiss' kappa needs counts: non-negative whole numbers")
    raters = table.sum(axis=1)
    if np.any(raters != raters[0]):
        raise ValueError(
            "Fleiss' kappa needs the same number of raters for every subject; "
            f"row sums range from {raters.min():g} to {raters.max():g}"
        )
    n = raters[0]
    if n < 2:
        raise ValueError("Fleiss' kappa needs at least two raters per subject")
    subjects = repeats.sum()
    shares = (repeats @ table) / (subjects * n)
    per_subject = ((table * table).sum(axis=1) - n) / (n * (n - 1))
    observed = (repeats @ per_subject) / subjects
    chance = float(shares @ shares)
    if chance >= 1:
        return math.nan
    return float((observed - chance) / (1 - chance))


# Internals ------------------------------------------------------------------


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")


def _encode(
    reliability_data: npt.ArrayLike, *, compact: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Integer-code a coders × units matrix: (values, codes), code -1 = missing.

    ``values`` lists the distinct values, sorted when numeric, and
    ``codes[i, u]`` indexes into it. Small whole numbers are coded by their
    offset from the lowest one; with ``compact=False`` the values in between
    that never occur may then stay in ``values``, which alpha does not mind
    (a value nobody used has no weight) and which saves a pass over the data.
    """
    data = np.asarray(reliability_data)
    if data.ndim != 2:
        raise ValueError(
            f"reliability data must be a coders × units matrix, got {data.ndim} dimension(s)"
        )
    if data.dtype.kind == "O":
        if not all(_is_missing(v) or _is_number(v) for v in data.ravel().tolist()):
            return _encode_labels(data)
        data = data.astype(np.float64)  # None becomes NaN
    if data.dtype.kind == "b":
        data = data.view(np.uint8)
    if data.dtype.kind in "iuf":
        return _encode_numbers(data, compact=compact)
    return _encode_labels(data)


def _encode_numbers(data: np.ndarray, *, compact: bool) -> tuple[np.ndarray, np.ndarray]:
    if data.size == 0:
        return np.empty(0, dtype=data.dtype), np.full(data.shape, -1, dtype=np.int8)
    if data.dtype.kind == "f":
        lowest = np.fmin.reduce(data, axis=None).item()
        highest = np.fmax.reduce(data, axis=None).item()
        if math.isnan(lowest):  # every value is missing
            return np.empty(0, dtype=data.dtype), np.full(data.shape, -1, dtype=np.int8)
        if math.isinf(lowest) or math.isinf(highest):
            raise ValueError("reliability data cannot contain infinite values")
    else:
        lowest, highest = data.min().item(), data.max().item()  # Python ints cannot overflow

    if float(lowest).is_integer() and abs(lowest) < 2**53 and highest - lowest < _OFFSET_RANGE:
        # Whole numbers in a narrow range (present/absent, rating scales) are
        # coded by their offset from the lowest, without sorting.
        size = int(highest - lowest) + 1
        code_type = _int_type(size)
        if data.dtype.kind == "f":
            shifted = data - lowest if lowest else data
            missing = np.isnan(data)
            with np.errstate(invalid="ignore"):  # NaN casts to junk, overwritten below
                codes = shifted.astype(code_type)
            # NaN never equals anything, so every given value is whole iff all
            # but the missing ones survive the round trip through the integers.
            missing_count = np.count_nonzero(missing)
            whole = np.count_nonzero(codes == shifted) + missing_count == data.size
            if missing_count:
                np.copyto(codes, -1, where=missing)
        else:
            codes = (data.astype(np.intp) - int(lowest)).astype(code_type)
            whole = True
        if whole:
            values = (np.arange(size) + lowest).astype(data.dtype)
            if compact or size > _DENSE_VALUES:
                occurs = _count(codes, size) > 0
                if not occurs.all():
                    values = values[occurs]
                    codes = _recode(codes, np.cumsum(occurs) - 1)
            return values, codes

    missing = np.isnan(data) if data.dtype.kind == "f" else np.zeros(data.shape, dtype=bool)
    codes = np.full(data.shape, -1, dtype=np.intp)
    values, inverse = np.unique(data[~missing], return_inverse=True)
    codes[~missing] = inverse
    return values, codes


def _encode_labels(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Code arbitrary hashable labels; ``None`` and float NaN are missing."""
    index: dict[Hashable, int] = {}
    flat = []
    for label in data.ravel().tolist():
        if _is_missing(label):
            flat.append(-1)
        else:
            flat.append(index.setdefault(label, len(index)))
    labels = list(index)
    codes = np.array(flat, dtype=np.intp).reshape(data.shape)
    try:
        order = sorted(range(len(labels)), key=labels.__getitem__)
    except TypeError:  # labels of mixed, unorderable types keep first-seen order
        order = list(range(len(labels)))
    recode = np.empty(len(labels), dtype=np.intp)
    recode[order] = np.arange(len(labels))
    values = np.empty(len(labels), dtype=object)
    values[:] = [labels[i] for i in order]
    return values, _recode(codes, recode)


def _recode(codes: np.ndarray, new_codes: np.ndarray) -> np.ndarray:
    """Map every code ``c >= 0`` to ``new_codes[c]``, keeping -1 (missing)."""
    largest = int(new_codes.max(initial=0))
    lookup = np.append(new_codes, -1).astype(_int_type(largest + 1))  # [-1] is the -1
    return lookup[codes]


def _int_type(size: int) -> type[np.signedinteger]:
    """The narrowest signed integer type holding -1 .. size."""
    for candidate in (np.int8, np.int16, np.int32):
        if size < np.iinfo(candidate).max:
            return candidate
    return np.int64


def _count(codes: np.ndarray, size: int) -> np.ndarray:
    """How often each of ``0 .. size - 1`` occurs in ``codes`` (others ignored)."""
    if size <= _FEW_CODES:
        return np.array([np.count_nonzero(codes == code) for code in range(size)], dtype=float)
    shifted = codes.ravel().astype(np.intp) + 1  # -1 (missing) lands in bin 0
    return np.bincount(shifted, minlength=size + 1)[1 : size + 1].astype(float)


def _is_missing(label: object) -> bool:
    return label is None or (isinstance(label, float | np.floating) and math.isnan(label))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating | np.bool_)


def _domain(values: Sequence[Hashable]) -> tuple[np.ndarray, dict[Hashable, int]]:
    listed = list(values)
    try:
        domain = np.unique(np.asarray(listed, dtype=np.float64))
    except (TypeError, ValueError):
        domain = np.empty(len(listed), dtype=object)
        domain[:] = listed
    if len(domain) != len(listed):
        raise ValueError("values must be distinct")
    return domain, {v: i for i, v in enumerate(domain.tolist())}


def _coincidence_entries(codes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The non-zero cells of the coincidence matrix as (rows, cols, weights).

    A cell may appear more than once; its value is the sum of its weights.
    """
    coders = codes.shape[0]
    present = codes >= 0
    pairs = [(i, j) for i in range(coders) for j in range(i + 1, coders)]
    if size == 0 or not pairs:
        return _no_entries()
    if coders == 2:
        weights = None  # every pairable unit has exactly two values: weight 1
    else:
        values_in_unit = present.sum(axis=0)
        weights = np.zeros(codes.shape[1])
        pairable = values_in_unit >= 2
        weights[pairable] = 1.0 / (values_in_unit[pairable] - 1)

    if size <= _DENSE_VALUES:
        # Number each (value of coder i, value of coder j) cell of a
        # (V+1) × (V+1) table whose row and column 0 stand for "missing",
        # count every coder pair over all units at once, keep the cells where
        # both gave a value, and add the transpose for the other order.
        side = size + 1
        key_type = _int_type(side * side)
        # Python ints, so that comparing keeps the keys' narrow type.
        both_given = [(a + 1) * side + (b + 1) for a in range(size) for b in range(size)]
        half = np.zeros((size, size))
        for i, j in pairs:
            keys = codes[i].astype(key_type)
            keys *= side
            keys += codes[j]
            keys += side + 1  # = (code_i + 1) * side + (code_j + 1)
            if weights is None and len(both_given) <= _FEW_CODES:
                counts = [np.count_nonzero(keys == cell) for cell in both_given]
                half += np.reshape(counts, (size, size))
            else:
                table = np.bincount(keys.astype(np.intp), weights=weights, minlength=side * side)
                half += table.reshape(side, side)[1:, 1:]
        full = half + half.T
        rows, cols = np.nonzero(full)
        return rows, cols, full[rows, cols]

    # Many distinct values: gather the pairs where both coders gave a value and
    # aggregate equal value pairs by sorting.
    firsts, seconds, pair_weights = [], [], []
    for i, j in pairs:
        both = present[i] & present[j]
        firsts.append(codes[i, both].astype(np.int64))
        seconds.append(codes[j, both].astype(np.int64))
        pair_weights.append(np.ones(int(both.sum())) if weights is None else weights[both])
    keys = np.concatenate(firsts) * size + np.concatenate(seconds)
    if keys.size == 0:
        return _no_entries()
    cells, inverse = np.unique(keys, return_inverse=True)
    summed = np.bincount(inverse.ravel(), weights=np.concatenate(pair_weights))
    rows, cols = np.divmod(cells, size)
    return (
        np.concatenate([rows, cols]),
        np.concatenate([cols, rows]),
        np.concatenate([summed, summed]),
    )


def _no_entries() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp), np.empty(0)


def _alpha(
    values: np.ndarray, rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, level: Level
) -> float:
    """``1 - (n - 1) * sum o_ck δ²_ck / sum n_c n_k δ²_ck`` over the given cells."""
    marginals = np.bincount(rows, weights=weights, minlength=len(values))
    n = marginals.sum()
    # One value only: nothing can vary. Tested here, because at the interval level a
    # mean such as 3 × 0.35 / 3 is not exactly 0.35 and would leave a tiny D_e.
    if np.count_nonzero(marginals) < 2:
        return math.nan
    if level == "nominal":
        observed = weights[rows != cols].sum()
        expected = n * n - marginals @ marginals
    else:
        if values.dtype.kind not in "biuf":
            raise ValueError(f"the {level} level needs numeric values")
        points = values.astype(np.float64)
        if level == "ordinal":
            points = np.cumsum(marginals) - marginals / 2  # mid-ranks
        if level == "ratio":
            if np.any(points[marginals > 0] < 0):
                raise ValueError("the ratio level needs non-negative values")
            observed = weights @ _ratio_delta(points[rows], points[cols])
            expected = _ratio_expected(points, marginals)
        else:
            observed = weights @ (points[rows] - points[cols]) ** 2
            # sum_ck n_c n_k (x_c - x_k)² = 2 n sum_c n_c (x_c - mean)²
            mean = (marginals @ points) / n
            expected = 2 * n * (marginals @ (points - mean) ** 2)
    if expected <= 0:
        return math.nan
    return float(1 - (n - 1) * observed / expected)


def _ratio_delta(c: np.ndarray, k: np.ndarray) -> np.ndarray:
    total = c + k
    ratio = np.divide(c - k, total, out=np.zeros(np.broadcast(c, k).shape), where=total != 0)
    return ratio * ratio


def _ratio_expected(points: np.ndarray, marginals: np.ndarray) -> float:
    used = marginals > 0
    points, marginals = points[used], marginals[used]
    expected = 0.0
    for start in range(0, len(points), _RATIO_BLOCK):
        block = slice(start, start + _RATIO_BLOCK)
        deltas = _ratio_delta(points[block, np.newaxis], points[np.newaxis, :])
        expected += float(marginals[block] @ deltas @ marginals)
    return expected


def _factorize_labels(labels: list[Hashable]) -> tuple[np.ndarray, int]:
    index: dict[Hashable, int] = {}
    codes = np.empty(len(labels), dtype=np.intp)
    for position, label in enumerate(labels):
        if _is_missing(label):
            raise ValueError(
                "Cohen's kappa cannot use a missing rating (None or NaN); "
                "drop the subject or use krippendorff_alpha"
            )
        codes[position] = index.setdefault(label, len(index))
    return codes, len(index)
