"""Measuring agreement: the codings of a scope's texts as tallies per (text, code).

numpy does the counting, so this module is imported by the selectors that measure when
they run, not when a web process starts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.agreement.selectors.scope import CodeInfo, Text, Unit
from analysis.agreement.tallies import BinaryTally, binary_tally
from analysis.agreement.units import coverage_runs, turn_units


@dataclass(frozen=True)
class Measurement:
    """Tallies per (text, code) and how many passages each code has in each text."""

    tallies: BinaryTally
    passages: np.ndarray


def measure(
    texts: list[Text],
    rows: np.ndarray,
    *,
    codes: int,
    coders: int,
    missing: set[tuple[int, int]],
    unit: Unit,
) -> Measurement:
    """Tally every code of every text.

    `rows` are ``(text, code, coder, start, end)`` index rows; `missing` holds
    the (text, coder) index pairs of coders who did not code a text.
    """
    rows = rows[np.argsort(rows[:, 0], kind="stable")] if len(rows) else rows.reshape(0, 5)
    cuts = np.searchsorted(rows[:, 0], np.arange(len(texts) + 1))
    tallies, passages = [], []
    for number, text in enumerate(texts):
        spans = rows[cuts[number] : cuts[number + 1], 1:]
        if unit == Unit.CHARACTER:
            data, weights = coverage_runs(
                text.length, spans, codes=codes, coders=coders, excluded=text.excluded
            )
        else:
            data = np.empty((codes, coders, len(text.units)))
            for code in range(codes):
                mine = spans[spans[:, 0] == code]
                data[code] = turn_units(
                    text.units, [mine[mine[:, 1] == coder, 2:] for coder in range(coders)]
                )
            weights = None
        for coder in range(coders):
            if (number, coder) in missing:
                data[:, coder, :] = np.nan
        tallies.append(binary_tally(data, weights))
        passages.append(_passage_counts(spans, codes))
    return Measurement(
        tallies=BinaryTally.stack(tallies),
        passages=np.array(passages).reshape(len(texts), codes),
    )


def _passage_counts(spans: np.ndarray, codes: int) -> np.ndarray:
    """How many passages (overlapping or touching spans joined) each code has."""
    if not len(spans):
        return np.zeros(codes, dtype=np.int64)
    code, start, end = spans[:, 0], spans[:, 2], spans[:, 3]
    order = np.lexsort((start, code))
    offset = code[order] * (int(end.max()) + 1)  # codes never join across the offset
    begins, reach = start[order] + offset, np.maximum.accumulate(end[order] + offset)
    new = np.concatenate([[True], begins[1:] > reach[:-1]])
    return np.bincount(code[order][new], minlength=codes)


def measure_rows(
    texts: list[Text],
    found: list[tuple[int, int, int, int, int]],
    *,
    codes: list[CodeInfo],
    coders: list,
    coded: set[tuple[int, int]],
    unit: Unit,
) -> Measurement:
    """Measure loaded ``(revision, code id, coder id, start, end)`` rows.

    `coded` holds the (transcript, coder id) pairs that count as coded (see
    :func:`coded_texts`); other coders are missing in that transcript.
    """
    rows = np.array(found, dtype=np.int64).reshape(-1, 5)
    for column, keys in enumerate(
        [[text.revision for text in texts], [code.pk for code in codes], [c.pk for c in coders]]
    ):
        rows[:, column] = _indexes(rows[:, column], keys)
    coder_index = {coder.pk: n for n, coder in enumerate(coders)}
    missing = {
        (n, coder_index[coder.pk])
        for n, text in enumerate(texts)
        for coder in coders
        if (text.transcript, coder.pk) not in coded
    }
    return measure(texts, rows, codes=len(codes), coders=len(coders), missing=missing, unit=unit)


def _indexes(ids: np.ndarray, keys: list[int]) -> np.ndarray:
    """The position of each id in `keys` (every id is one of them)."""
    order = np.argsort(keys)
    return order[np.searchsorted(np.asarray(keys)[order], ids)]


# Drift across rounds ----------------------------------------------------------------
