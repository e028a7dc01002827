"""Agreement units from coded spans: characters, speaker turns and coverage runs, as the
reliability data the coefficients read. Free of Django, like `coefficients`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from analysis.agreement.passages import Span


def character_units(
    length: int,
    spans_by_coder: Sequence[Iterable[Span]],
    *,
    excluded: Iterable[Span] | np.ndarray = (),
) -> np.ndarray:
    """Reliability data for one code with a unit per code point of a text.

    ``spans_by_coder`` holds, per coder, the half-open ``(start, end)`` code
    point spans the coder gave the code; spans may overlap. The result is a
    float coders × ``length`` matrix: 1.0 inside any of the coder's spans, 0.0
    outside, and NaN for every coder at the ``excluded`` code points (such as
    interviewer turns), which alpha then leaves out. ``excluded`` is a list of
    spans or, cheaper when many codes share it, a boolean array of ``length``
    (for instance ``character_units(length, [turns])[0] == 1``).
    """
    if length < 0:
        raise ValueError("the text length cannot be negative")
    units = np.zeros((len(spans_by_coder), length))
    for row, spans in zip(units, spans_by_coder, strict=True):
        for start, end in spans:
            if not 0 <= start <= end <= length:
                raise _span_error(start, end, length)
            row[start:end] = 1.0
    if isinstance(excluded, np.ndarray) and excluded.dtype == np.bool_:
        if excluded.shape != (length,):
            raise ValueError(f"an excluded mask needs one entry per code point ({length})")
        np.copyto(units, np.nan, where=excluded)
    else:
        for start, end in excluded:
            if not 0 <= start <= end <= length:
                raise _span_error(start, end, length)
            units[:, start:end] = np.nan
    return units


def turn_units(turn_bounds: Sequence[Span], spans_by_coder: Sequence[Iterable[Span]]) -> np.ndarray:
    """Reliability data for one code with a unit per turn.

    ``turn_bounds`` holds each turn's half-open ``(start, end)`` code point
    span. A coder's value for a turn is 1.0 when any of the coder's spans for
    the code overlaps the turn by at least one code point, else 0.0.
    """
    bounds = _span_array(turn_bounds)
    if np.any(bounds[:, 0] >= bounds[:, 1]):
        raise ValueError("every turn needs start < end")
    units = np.zeros((len(spans_by_coder), len(bounds)))
    for row, spans in zip(units, spans_by_coder, strict=True):
        pairs = _span_array(spans)
        if np.any(pairs[:, 0] > pairs[:, 1]):
            raise ValueError("every span needs start <= end")
        pairs = pairs[pairs[:, 0] < pairs[:, 1]]  # an empty span covers nothing
        # A non-empty span overlaps [ts, te) iff start < te and end > ts. Spans
        # ending at or before ts all start before te, so the overlapping ones
        # number #(start < te) - #(end <= ts).
        starts = np.sort(pairs[:, 0])
        ends = np.sort(pairs[:, 1])
        overlapping = np.searchsorted(starts, bounds[:, 1], side="left") - np.searchsorted(
            ends, bounds[:, 0], side="right"
        )
        row[:] = overlapping > 0
    return units


def coverage_runs(
    length: int,
    spans: npt.ArrayLike,
    *,
    codes: int,
    coders: int,
    excluded: Iterable[Span] | np.ndarray = (),
) -> tuple[np.ndarray, np.ndarray]:
    """Character-level present/absent data of many codes, compressed into runs.

    ``spans`` holds rows ``(code, coder, start, end)``: code and coder are
    indexes below ``codes`` and ``coders``, the span is half-open in code
    points. The text is cut at every span boundary (and at the ``excluded``
    spans' boundaries) into runs within which no coder's value changes. The
    result is ``(data, weights)``: ``data[code, coder, run]`` is 1.0 when the
    coder gave the code to that run and 0.0 otherwise, ``weights[run]`` is the
    run's length. Runs inside ``excluded`` spans (such as interviewer turns)
    are left out.

    Repeating each column ``weights`` times gives, for every code, exactly
    :func:`character_units` of that code with the excluded columns removed;
    :func:`binary_tally` takes the weights instead, so the cost grows with the
    number of spans, not with the length of the text.
    """
    if length < 0:
        raise ValueError("the text length cannot be negative")
    rows = np.asarray(spans if isinstance(spans, np.ndarray) else list(spans), dtype=np.int64)
    if rows.size == 0:
        rows = np.empty((0, 4), dtype=np.int64)
    if rows.ndim != 2 or rows.shape[1] != 4:
        raise ValueError("spans must be (code, coder, start, end) rows")
    code, coder, start, end = rows.T
    if np.any((code < 0) | (code >= codes)) or np.any((coder < 0) | (coder >= coders)):
        raise ValueError(f"codes must lie in 0..{codes - 1} and coders in 0..{coders - 1}")
    bad = (start < 0) | (start > end) | (end > length)
    if bad.any():
        first = int(np.argmax(bad))
        raise _span_error(int(start[first]), int(end[first]), length)
    cut = _span_array(excluded)
    for cut_start, cut_end in cut.tolist():
        if not 0 <= cut_start <= cut_end <= length:
            raise _span_error(cut_start, cut_end, length)
    rows = rows[start < end]
    bounds = np.unique(np.concatenate([[0, length], rows[:, 2], rows[:, 3], cut.ravel()]))
    weights = np.diff(bounds)
    covered = _runs_covered(bounds, rows[:, 0] * coders + rows[:, 1], rows[:, 2:], codes * coders)
    keep = ~_runs_covered(bounds, np.zeros(len(cut), dtype=np.int64), cut, 1)[0]
    weights = weights[keep]
    data = covered[:, keep].reshape(codes, coders, len(weights)).astype(np.float64)
    return data, weights


def _span_array(spans: Iterable[Span]) -> np.ndarray:
    pairs = np.asarray(spans if isinstance(spans, np.ndarray) else list(spans), dtype=np.int64)
    if pairs.size == 0:
        return np.empty((0, 2), dtype=np.int64)
    if pairs.ndim != 2 or pairs.shape[1] != 2:
        raise ValueError("spans must be (start, end) pairs")
    return pairs


def _span_error(start: int, end: int, length: int) -> ValueError:
    return ValueError(f"span ({start}, {end}) does not lie within a text of {length} code points")


def _runs_covered(bounds: np.ndarray, row: np.ndarray, spans: np.ndarray, rows: int) -> np.ndarray:
    """rows × runs: whether any of a row's spans covers each run between ``bounds``."""
    runs = len(bounds) - 1
    width = runs + 1
    first = row * width + np.searchsorted(bounds, spans[:, 0])
    last = row * width + np.searchsorted(bounds, spans[:, 1])
    size = rows * width
    depth = np.bincount(first, minlength=size) - np.bincount(last, minlength=size)
    return np.cumsum(depth.reshape(rows, width), axis=1)[:, :runs] > 0
