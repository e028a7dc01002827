"""Passages: where coders applied a code, and whether they did it alike.

Pure functions over spans, free of Django like ``analysis.agreement``. A
*passage* of a code is a stretch of text covered by the union of all coders'
spans of that code, cut where nobody applied it: spans that overlap or touch
join one passage. Within it each coder has a *version*: their own spans of
the code there, merged. A passage whose versions are all equal is *agreed*;
otherwise it is a *disagreement*, which adjudication settles.

The union of all versions of a passage is the passage itself, so "accept
every version" is always the one span ``(start, end)``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeVar

T = TypeVar("T")
Span = tuple[int, int]  # start, end (exclusive) in a text


@dataclass(frozen=True)
class CodePassage:
    """One code's passage; ``versions[i]`` is coder i's spans, ``None`` if i did not code the text."""

    code: int
    start: int
    end: int
    versions: tuple[tuple[Span, ...] | None, ...]

    @property
    def agreed(self) -> bool:
        given = [version for version in self.versions if version is not None]
        return all(version == given[0] for version in given)

    @property
    def size(self) -> int:
        return self.end - self.start

    @property
    def overlap(self) -> tuple[Span, ...]:
        """The spans every coder who coded the text gave the code."""
        given = [version for version in self.versions if version is not None]
        common = list(given[0]) if given else []
        for version in given[1:]:
            common = intersect(common, version)
        return tuple(common)


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted spans with overlapping and touching ones joined; empty spans dropped."""
    return _merge_sorted(sorted(span for span in spans if span[0] < span[1]))


def _merge_sorted(spans: list[Span]) -> list[Span]:
    if len(spans) < 2:
        return list(spans)
    merged = [spans[0]]
    for start, end in spans[1:]:
        if start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def intersect(first: Sequence[Span], second: Sequence[Span]) -> list[Span]:
    """The stretches covered by both lists of merged spans."""
    common, i, j = [], 0, 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            common.append((start, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return common


def passages(
    spans: Iterable[tuple[int, int, int, int]], *, coders: int, missing: Iterable[int] = ()
) -> list[CodePassage]:
    """The passages of one text, ordered by start, then code.

    ``spans`` are ``(code, coder, start, end)`` rows with coder indexes below
    ``coders``. Coders in ``missing`` did not code the text: their version is
    ``None`` and does not count for agreement.
    """
    absent = set(missing)
    by_code: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for code, coder, start, end in spans:
        if not 0 <= coder < coders:
            raise ValueError(f"coder index {coder} is not below {coders}")
        if start < end:
            by_code[code].append((start, end, coder))
    found = []
    for code, rows in by_code.items():
        rows.sort()
        cluster = [rows[0]]
        reach = rows[0][1]
        for row in rows[1:]:
            if row[0] > reach:
                found.append(_passage(code, cluster, reach, coders, absent))
                cluster, reach = [], row[1]
            cluster.append(row)
            reach = max(reach, row[1])
        found.append(_passage(code, cluster, reach, coders, absent))
    return sorted(found, key=lambda passage: (passage.start, passage.code, passage.end))


def _passage(
    code: int, rows: list[tuple[int, int, int]], end: int, coders: int, absent: set[int]
) -> CodePassage:
    """The passage of `rows` (non-empty spans sorted by start) ending at `end`."""
    per_coder: list[list[Span]] = [[] for _ in range(coders)]
    for start, stop, coder in rows:
        per_coder[coder].append((start, stop))
    return CodePassage(
        code=code,
        start=rows[0][0],
        end=end,
        versions=tuple(
            None if coder in absent else tuple(_merge_sorted(per_coder[coder]))
            for coder in range(coders)
        ),
    )


def subtract(spans: Sequence[Span], minus: Sequence[Span]) -> list[Span]:
    """The stretches of merged `spans` not covered by merged `minus`."""
    left = []
    for start, end in spans:
        position = start
        for cut_start, cut_end in minus:
            if cut_end <= position or cut_start >= end:
                continue
            if cut_start > position:
                left.append((position, cut_start))
            position = max(position, cut_end)
        if position < end:
            left.append((position, end))
    return left


def layers(
    start: int, end: int, marks: Iterable[tuple[int, int, T]]
) -> list[tuple[int, int, list[T]]]:
    """[start, end) cut at every mark's boundary; each piece with the marks covering it.

    Marks are ``(start, end, label)``; labels keep the order of `marks`.
    """
    inside = [(max(a, start), min(b, end), label) for a, b, label in marks if a < end and b > start]
    cuts = sorted({start, end, *(a for a, _, _ in inside), *(b for _, b, _ in inside)})
    return [
        (a, b, [label for m_start, m_end, label in inside if m_start <= a and b <= m_end])
        for a, b in pairwise(cuts)
        if a < b
    ]
