"""Present/absent tallies from which every coefficient follows, and which add up across
transcripts and codes. Free of Django, like `coefficients`."""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from analysis.agreement.coefficients import (
    Coincidences,
    alpha_from_coincidences,
    cohen_kappa_from_table,
    fleiss_kappa,
)


class Coefficients(NamedTuple):
    """The agreement coefficients of one set of units; NaN where undefined."""

    percent_agreement: float
    cohen_kappa: float
    fleiss_kappa: float
    krippendorff_alpha: float
    units: float


_BINARY = np.array([0, 1])


@dataclass(frozen=True)
class BinaryTally:
    """Counts of present/absent data from which every coefficient follows.

    Tallies of disjoint sets of units add up (``+``, :meth:`total`), so
    agreement over many transcripts or codes is computed from the summed
    tallies. Arrays may carry leading axes (one tally per code, say):

    * ``coincidence[..., c, k]``: Krippendorff's coincidence matrix, values 0, 1;
    * ``pairs[..., i, j, a, b]``: the weighted units where coder ``i`` gave ``a``
      and coder ``j`` gave ``b`` (zero when ``i == j``);
    * ``complete[..., k]``: the units every coder coded, ``k`` of them with 1;
    * ``pairable[...]``: the units with at least two values.
    """

    coincidence: np.ndarray
    pairs: np.ndarray
    complete: np.ndarray
    pairable: np.ndarray

    @property
    def coders(self) -> int:
        return self.complete.shape[-1] - 1

    def __add__(self, other: BinaryTally) -> BinaryTally:
        return BinaryTally(
            self.coincidence + other.coincidence,
            self.pairs + other.pairs,
            self.complete + other.complete,
            self.pairable + other.pairable,
        )

    @classmethod
    def stack(cls, tallies: Sequence[BinaryTally]) -> BinaryTally:
        """One tally with a new leading axis, an entry per given tally (at least one)."""
        return cls(
            np.stack([tally.coincidence for tally in tallies]),
            np.stack([tally.pairs for tally in tallies]),
            np.stack([tally.complete for tally in tallies]),
            np.stack([tally.pairable for tally in tallies]),
        )

    def __getitem__(self, index) -> BinaryTally:
        return BinaryTally(
            self.coincidence[index], self.pairs[index], self.complete[index], self.pairable[index]
        )

    def total(self, axis: int | tuple[int, ...] | None = None) -> BinaryTally:
        """The sum over leading axes (all of them by default)."""
        lead = self.pairable.ndim
        axes = tuple(range(lead)) if axis is None else axis
        return BinaryTally(
            self.coincidence.sum(axis=axes),
            self.pairs.sum(axis=axes),
            self.complete.sum(axis=axes),
            self.pairable.sum(axis=axes),
        )

    def krippendorff_alphas(self) -> np.ndarray:
        """Nominal alpha of every tally along the leading axes at once (NaN where undefined).

        For values 0 and 1: ``1 - (n - 1) (o01 + o10) / (n² - n0² - n1²)``, the
        same as :func:`alpha_from_coincidences` of each coincidence matrix.
        """
        matrix = self.coincidence
        marginals = matrix.sum(axis=-1)
        n0, n1 = marginals[..., 0], marginals[..., 1]
        n = n0 + n1
        expected = n * n - n0 * n0 - n1 * n1
        observed = matrix[..., 0, 1] + matrix[..., 1, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            alphas = 1 - (n - 1) * observed / expected
        return np.where(expected > 0, alphas, np.nan)

    def coefficients(self) -> Coefficients:
        """All coders together: Cohen's kappa only when there are exactly two.

        Krippendorff's alpha and percent agreement use every pairable unit;
        Cohen's and Fleiss' kappa, which have no notion of a missing value,
        use the units every coder coded.
        """
        self._check_single()
        coders = self.coders
        return Coefficients(
            percent_agreement=_percent(self.coincidence),
            cohen_kappa=cohen_kappa_from_table(self.pairs[0, 1]) if coders == 2 else math.nan,
            fleiss_kappa=_fleiss_binary(self.complete),
            krippendorff_alpha=alpha_from_coincidences(Coincidences(_BINARY, self.coincidence)),
            units=float(self.pairable),
        )

    def pair_coefficients(self, first: int, second: int) -> Coefficients:
        """Two of the coders, over the units both coded."""
        self._check_single()
        if first == second:
            raise ValueError("a pair needs two different coders")
        table = self.pairs[first, second]
        return Coefficients(
            percent_agreement=_percent(table + table.T),
            cohen_kappa=cohen_kappa_from_table(table),
            fleiss_kappa=_fleiss_binary(
                np.array([table[0, 0], table[0, 1] + table[1, 0], table[1, 1]])
            ),
            krippendorff_alpha=alpha_from_coincidences(Coincidences(_BINARY, table + table.T)),
            units=float(table.sum()),
        )

    def _check_single(self) -> None:
        if self.pairable.ndim:
            raise ValueError("sum the tally over its leading axes first (BinaryTally.total)")


def binary_tally(data: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> BinaryTally:
    """Tally present/absent data: ``data[..., coder, unit]`` is 1, 0 or NaN (missing).

    Leading axes (codes, say) are kept, so one call tallies many codes over
    the same units. ``weights[unit]`` says how many units a column stands for
    (see :func:`coverage_runs`); by default one each. The coincidence matrix
    is Krippendorff's, each pairable unit with ``m_u`` values contributing
    ``n_c (n_k - [c = k]) / (m_u - 1)`` to ``o_ck``.

    With few coders (3**coders patterns at most ``_PATTERNS``) every unit is
    read as one of the 3**coders patterns of 0, 1 and missing; the patterns are
    counted in one pass (``np.bincount``) and each pattern's tally, computed
    once, is weighted by its count. More coders are tallied unit by unit.
    """
    values = np.asarray(data, dtype=np.float64)
    if values.ndim < 2:
        raise ValueError("present/absent data need at least a coders × units matrix")
    coders, units = values.shape[-2:]
    if weights is None:
        repeat = np.ones(units)
    else:
        repeat = np.asarray(weights, dtype=np.float64)
        if repeat.shape != (units,) or np.any(~np.isfinite(repeat) | (repeat < 0)):
            raise ValueError(f"weights must be {units} non-negative numbers, one per unit")
    missing = np.isnan(values)
    if np.any(~missing & (values != 0) & (values != 1)):
        raise ValueError("present/absent data hold only 1, 0 and NaN (missing)")
    if 3**coders > _PATTERNS:
        return _tally_units(values, repeat)
    patterns = 3**coders
    # Each unit's pattern number: coder k contributes 3**k times 0, 1 or 2 (missing).
    digits = np.where(missing, 2, values).astype(np.intp)
    key = np.tensordot(3 ** np.arange(coders), digits, axes=([0], [-2]))
    lead = key.shape[:-1]
    cells = int(np.prod(lead))
    key = key.reshape(cells, units) + (np.arange(cells) * patterns)[:, np.newaxis]
    counts = np.bincount(
        key.ravel(),
        weights=np.broadcast_to(repeat, (cells, units)).ravel(),
        minlength=cells * patterns,
    ).reshape(cells, patterns)
    each = _pattern_tallies(coders)

    def weighted(field: np.ndarray) -> np.ndarray:
        return (counts @ field.reshape(patterns, -1)).reshape(lead + field.shape[1:])

    return BinaryTally(
        weighted(each.coincidence),
        weighted(each.pairs),
        weighted(each.complete),
        weighted(each.pairable),
    )


# Units with more coders than this many patterns of 0, 1 and missing are tallied one by one.
_PATTERNS = 3**7


@functools.cache
def _pattern_tallies(coders: int) -> BinaryTally:
    """The tally of a single unit of each of the 3**coders patterns, in pattern order."""
    digits = (np.arange(3**coders)[:, np.newaxis] // 3 ** np.arange(coders)) % 3
    units = np.where(digits == 2, np.nan, digits).astype(np.float64)[:, :, np.newaxis]
    return _tally_units(units, np.ones(1))


def _tally_units(values: np.ndarray, repeat: np.ndarray) -> BinaryTally:
    """binary_tally unit by unit, for checked values and weights."""
    coders = values.shape[-2]
    given = ~np.isnan(values)
    ones = values == 1
    absent = values == 0
    values_in_unit = given.sum(axis=-2)
    n1 = ones.sum(axis=-2)
    n0 = values_in_unit - n1
    pairable = values_in_unit >= 2
    share = np.divide(
        repeat, values_in_unit - 1, out=np.zeros(values_in_unit.shape), where=pairable
    )
    o00 = (share * n0 * (n0 - 1)).sum(axis=-1)
    o11 = (share * n1 * (n1 - 1)).sum(axis=-1)
    o01 = (share * n0 * n1).sum(axis=-1)
    coincidence = np.stack([np.stack([o00, o01], -1), np.stack([o01, o11], -1)], -2)

    indicators = (absent.astype(np.float64), ones.astype(np.float64))
    pairs = np.zeros((*values.shape[:-2], coders, coders, 2, 2))
    for i, j in itertools.combinations(range(coders), 2):
        for a, first in enumerate(indicators):
            for b, second in enumerate(indicators):
                # the weighted units where coder i gave a and coder j gave b
                pairs[..., i, j, a, b] = (first[..., i, :] * second[..., j, :]) @ repeat
        pairs[..., j, i, :, :] = np.swapaxes(pairs[..., i, j, :, :], -1, -2)

    every = values_in_unit == coders
    complete = np.stack(
        [((every & (n1 == k)) * repeat).sum(axis=-1) for k in range(coders + 1)], -1
    )
    return BinaryTally(coincidence, pairs, complete, (pairable * repeat).sum(axis=-1))


def _percent(coincidence: np.ndarray) -> float:
    total = coincidence.sum()
    return float(np.trace(coincidence) / total) if total else math.nan


def _fleiss_binary(complete: np.ndarray) -> float:
    """Fleiss' kappa of binary data from how many complete units have k ones."""
    coders = len(complete) - 1
    if coders < 2:
        return math.nan
    table = [[coders - k, k] for k in range(coders + 1)]
    return fleiss_kappa(table, weights=complete)
