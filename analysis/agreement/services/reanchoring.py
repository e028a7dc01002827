"""Resolutions, agenda entries and calibration references follow a corrected transcript.

Each moves onto the new revision with its mapped passage (and the spans it holds);
one whose text, or any of whose spans, vanished stays on the old revision and is
named in the audit event (see analysis.coding.services.reanchoring).
"""

from analysis.agreement.models import AgendaDisagreement, CalibrationReference, Resolution
from analysis.coding.services.reanchoring import (
    Followed,
    reanchoring_record,
    rows_move,
    spans_follow,
)
from interviews.anchoring import MappedSpan, SpanState, TextMap
from interviews.models import TranscriptRevision


def agreement_follow_revision(
    *, actor, old: TranscriptRevision, new: TranscriptRevision, mapping: TextMap
) -> None:
    _resolutions_follow(actor=actor, old=old, new=new, mapping=mapping)
    _agenda_follow(actor=actor, old=old, new=new, mapping=mapping)
    _references_follow(actor=actor, old=old, new=new, mapping=mapping)


def _resolutions_follow(*, actor, old, new, mapping: TextMap) -> None:
    found = {
        pk: (start, end, session, code, withdrawn, spans, versions)
        for pk, start, end, session, code, withdrawn, spans, versions in (
            Resolution.objects.filter(revision=old).values_list(
                "pk", "start", "end", "session_id", "code_id", "withdrawn_at", "spans", "versions"
            )
        )
    }

    def held(pk: int) -> list[tuple[int, int]]:
        *_, spans, versions = found[pk]
        return [tuple(span) for span in spans] + [
            tuple(span) for coder_spans in versions.values() for span in coder_spans
        ]

    def unique(pk: int, start: int, end: int):
        _, _, session, code, withdrawn, *_ = found[pk]
        return None if withdrawn else (session, code, start, end)

    followed = spans_follow(
        rows=[(pk, start, end) for pk, (start, end, *_) in found.items()],
        mapping=mapping,
        unique=unique,
        extra_spans=held,
    )
    rows_move(
        Resolution,
        new,
        followed.moving,
        spans=lambda pk: _mapped(mapping, found[pk][5]),
        versions=lambda pk: {
            coder: _mapped(mapping, spans) for coder, spans in found[pk][6].items()
        },
    )
    reanchoring_record(
        actor=actor, old=old, new=new, action="resolution.reanchor", followed=followed
    )


def _agenda_follow(*, actor, old, new, mapping: TextMap) -> None:
    found = {
        pk: (start, end, meeting, session, code)
        for pk, start, end, meeting, session, code in AgendaDisagreement.objects.filter(
            revision=old
        ).values_list("pk", "start", "end", "meeting_id", "session_id", "code_id")
    }
    followed = spans_follow(
        rows=[(pk, start, end) for pk, (start, end, *_) in found.items()],
        mapping=mapping,
        unique=lambda pk, start, end: (*found[pk][2:], start, end),
    )
    rows_move(AgendaDisagreement, new, followed.moving)
    reanchoring_record(
        actor=actor, old=old, new=new, action="meeting.agenda_reanchor", followed=followed
    )


def _references_follow(*, actor, old, new, mapping: TextMap) -> None:
    """A reference is a frozen coding of the whole transcript: it moves only entire,
    and counts as changed if any of its spans changed."""
    followed = Followed()
    moved = []
    for pk, spans in CalibrationReference.objects.filter(revision=old).values_list("pk", "spans"):
        mapped = [mapping.span(start, end) for _, start, end in spans]
        states = {span.state for span in mapped}
        state = max(states, key=_SEVERITY.index, default=SpanState.UNCHANGED)
        followed.counts[state] += 1
        followed.states[pk] = MappedSpan(0, 0, state)
        if state is SpanState.VANISHED:
            followed.vanished.append(pk)
            continue
        held = [
            [code, span.start, span.end] for (code, _, _), span in zip(spans, mapped, strict=True)
        ]
        moved.append(CalibrationReference(pk=pk, revision_id=new.pk, spans=held))
    CalibrationReference.objects.bulk_update(moved, ["revision", "spans"])
    reanchoring_record(
        actor=actor, old=old, new=new, action="calibration.reanchor", followed=followed
    )


_SEVERITY = [SpanState.UNCHANGED, SpanState.CHANGED, SpanState.VANISHED]


def _mapped(mapping: TextMap, spans: list) -> list[list[int]]:
    """Spans known not to have vanished, at their mapped place."""
    return [[mapped.start, mapped.end] for mapped in (mapping.span(s, e) for s, e in spans)]
