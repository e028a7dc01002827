"""Tables that do not single anyone out: categories of fewer people than the study's
smallest reportable group are folded into "Other" (statistical disclosure control's
"minimum cell size"). A folded row can still be small; `small_cells` names such cells so
that the re-identification check can flag them. Pure Python."""

from collections.abc import Iterable

OTHER = "Other"


def fold_counts(items: Iterable[tuple[str, int]], smallest: int) -> list[tuple[str, int]]:
    """(category, people) with each category under `smallest` summed into "Other", last."""
    kept: list[tuple[str, int]] = []
    other = 0
    for name, count in items:
        if count >= smallest and name.casefold() != OTHER.casefold():
            kept.append((name, count))
        else:
            other += count
    return kept + ([(OTHER, other)] if other else [])


def fold_rows(rows: Iterable[tuple[str, list[int]]], smallest: int) -> list[tuple[str, list[int]]]:
    """(category, people per column) rows, each whose total is under `smallest` summed into
    one "Other" row, last."""
    kept: list[tuple[str, list[int]]] = []
    other: list[int] | None = None
    for name, counts in rows:
        if sum(counts) >= smallest and name.casefold() != OTHER.casefold():
            kept.append((name, counts))
        else:
            other = counts if other is None else [a + b for a, b in zip(other, counts, strict=True)]
    return kept + ([(OTHER, other)] if other is not None else [])


def is_small(count: int, smallest: int) -> bool:
    """A count of people that could single someone out (zero singles out no one)."""
    return 0 < count < smallest
