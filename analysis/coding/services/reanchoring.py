"""Carrying what points into a transcript's text over onto a corrected revision.

`interviews` calls the followers registered in each sub-domain's registrations
(interviews.revision_followers) inside the transaction that stores the new revision.
`spans_follow` is the one way a table of spans moves: every row whose text is still
there moves onto the new revision (its mapped range), in one UPDATE; a row whose text
vanished stays on the old revision. Codings move in place (same row, so their memos,
quotes, audit findings and history go with them); a coding whose words changed or
vanished is flagged and gets an open `CodingReview` saying where it stood.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, models

from analysis.coding.models import AnchorState, Coding, CodingReview, SessionState
from dyads.audit import audit_record
from dyads.postgres import update_rows
from interviews.anchoring import MappedSpan, SpanState, TextMap
from interviews.models import TranscriptRevision


@dataclass
class Followed:
    """What one re-anchoring did to one table: counts per state, and the rows left behind."""

    counts: Counter = field(default_factory=Counter)
    moving: list[tuple[int, int, int]] = field(default_factory=list)
    vanished: list[int] = field(default_factory=list)
    states: dict[int, MappedSpan] = field(default_factory=dict)

    def figures(self) -> dict:
        return {state.value: self.counts[state] for state in SpanState} | {
            "vanished_ids": self.vanished
        }


def spans_follow(
    *,
    rows: Iterable[Sequence],
    mapping: TextMap,
    unique: Callable[[int, int, int], object] | None = None,
    extra_spans: Callable[[int], list[tuple[int, int]]] | None = None,
) -> Followed:
    """Map `rows` of (pk, start, end): those whose text is still there go in `moving`
    as (pk, new start, new end), the others in `vanished`.

    A row whose `extra_spans` (further spans it holds) include a vanished one stays
    behind as vanished; so does one whose `unique(pk, start, end)` key another row
    already took.
    """
    followed = Followed()
    taken: set = set()
    for pk, start, end in rows:
        span = mapping.span(start, end)
        inner = [mapping.span(*extra) for extra in (extra_spans(pk) if extra_spans else ())]
        key = unique(pk, span.start, span.end) if unique else None
        if (
            span.state is SpanState.VANISHED
            or any(part.state is SpanState.VANISHED for part in inner)
            or (key is not None and key in taken)
        ):
            span = MappedSpan(start, end, SpanState.VANISHED)
            followed.vanished.append(pk)
        else:
            if key is not None:
                taken.add(key)
            if any(part.state is SpanState.CHANGED for part in inner):
                span = MappedSpan(span.start, span.end, SpanState.CHANGED)
            followed.moving.append((pk, span.start, span.end))
        followed.counts[span.state] += 1
        followed.states[pk] = span
    return followed


def rows_move(model: type[models.Model], new: TranscriptRevision, moving: list, **extra) -> None:
    """One UPDATE of `model` putting each (pk, start, end) on `new`; `extra` maps a field
    to a function of pk giving its new value."""
    fields = ["revision", "start", "end", *extra]
    rows = [
        (pk, new.pk, start, end, *(value(pk) for value in extra.values()))
        for pk, start, end in moving
    ]
    if connection.vendor == "postgresql":
        update_rows(model, fields, rows)
        return
    attnames = [model._meta.get_field(name).attname for name in fields]
    objects = [model(pk=row[0], **dict(zip(attnames, row[1:], strict=True))) for row in rows]
    model.objects.bulk_update(objects, fields)


def reanchoring_record(
    *, actor, old: TranscriptRevision, new: TranscriptRevision, action: str, followed: Followed
) -> None:
    """One audit event per table and re-anchoring: counts per state, ids left behind."""
    if not followed.states:
        return
    audit_record(
        study=new.transcript.interview.study,
        actor=actor,
        action=action,
        target=new,
        old={"revision": old.pk},
        new={"revision": new.pk, **followed.figures()},
    )


def codings_follow_revision(
    *, actor, old: TranscriptRevision, new: TranscriptRevision, mapping: TextMap
) -> None:
    """Move every live coding of `old` onto `new`, in place; flag what changed or vanished."""
    live = Coding.objects.filter(revision=old, deleted_at__isnull=True)
    rows = list(live.values_list("pk", "start", "end", "needs_review"))
    was_flagged = {pk for pk, _, _, flagged in rows if flagged}
    followed = spans_follow(rows=[row[:3] for row in rows], mapping=mapping)
    rows_move(
        Coding,
        new,
        followed.moving,
        needs_review=lambda pk: pk in was_flagged or followed.states[pk].state is SpanState.CHANGED,
    )
    Coding.objects.filter(pk__in=followed.vanished).update(needs_review=True)
    _reviews_open(old, rows, followed, was_flagged)
    reanchoring_record(actor=actor, old=old, new=new, action="coding.reanchor", followed=followed)


def _reviews_open(old: TranscriptRevision, rows, followed: Followed, was_flagged: set) -> None:
    """An open review for each newly flagged coding, saying where it stood on `old`.

    A coding already under review keeps the review that names its first place."""
    CodingReview.objects.bulk_create(
        CodingReview(
            coding_id=pk,
            revision=old,
            start=start,
            end=end,
            state=AnchorState(followed.states[pk].state.value),
        )
        for pk, start, end, _ in rows
        if pk not in was_flagged and followed.states[pk].state is not SpanState.UNCHANGED
    )


def codings_preview(*, old: TranscriptRevision, mapping: TextMap) -> str | None:
    """What a new revision over `old` would do to its codings, in one sentence."""
    rows = list(
        Coding.objects.filter(revision=old, deleted_at__isnull=True).values_list(
            "start", "end", "coder_id", "session__state"
        )
    )
    if not rows:
        return None
    states = Counter(mapping.span(start, end).state for start, end, _, _ in rows)
    coders = len({coder for _, _, coder, _ in rows})
    closed = sum(1 for *_, state in rows if state == SessionState.CLOSED)
    review = states[SpanState.CHANGED] + states[SpanState.VANISHED]
    return (
        f"This transcript has {_count(len(rows), 'coding')} by {_count(coders, 'coder')}: "
        f"{states[SpanState.UNCHANGED]} will carry over unchanged, {review} will need review "
        f"({states[SpanState.CHANGED]} changed, {states[SpanState.VANISHED]} whose text is "
        f"gone), and {closed} sit in closed sessions."
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
