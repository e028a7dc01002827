"""The audit trail and the decision log of a study and date range, as CSV (the DOCX
audit report built on the same reads is in audit_document).

The CSV writers yield lines, so a view can stream a long trail without holding it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from analysis.deliberation.models import Decision
from dyads.csvfile import csv_writer
from dyads.models import AuditEvent, Study

# The audit event's fields as the CSV has them: the actor by username.
EVENT_FIELDS = [
    "sequence",
    "created_at",
    "actor__username",
    "action",
    "object_type",
    "object_id",
    "old_value",
    "new_value",
    "reason",
    "request_id",
    "previous_hash",
    "hash",
]
EVENT_COLUMNS = [field.removesuffix("__username") for field in EVENT_FIELDS]
DECISION_COLUMNS = [
    "id",
    "created_at",
    "kind",
    "state",
    "code",
    "theme",
    "meeting",
    "meeting_date",
    "author",
    "rationale",
    "before",
    "after",
    "proposal",
    "decided_by",
    "decided_at",
    "decision_note",
]


@dataclass(frozen=True)
class Period:
    """A date range, both ends included; an open end means 'from the start' or 'until now'."""

    start: dt.date | None = None
    end: dt.date | None = None

    def narrow(self, queryset: QuerySet, field: str = "created_at") -> QuerySet:
        if self.start:
            queryset = queryset.filter(**{f"{field}__date__gte": self.start})
        if self.end:
            queryset = queryset.filter(**{f"{field}__date__lte": self.end})
        return queryset

    def __str__(self) -> str:
        start = self.start.isoformat() if self.start else "the start"
        end = self.end.isoformat() if self.end else timezone.localdate().isoformat()
        return f"{start} to {end}"


JSON_COLUMNS = {"old_value", "new_value"}


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _cell(column: str, value):
    if column in JSON_COLUMNS:
        return _json(value)
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _csv_lines(header: list[str], rows) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    for row in _prepend(header, rows):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _prepend(first, rest) -> Iterator:
    yield first
    yield from rest


def study_events(*, study: Study, period: Period) -> QuerySet[AuditEvent]:
    return period.narrow(AuditEvent.objects.filter(study=study)).order_by("sequence")


def study_decisions(*, study: Study, period: Period) -> QuerySet[Decision]:
    return (
        period.narrow(Decision.objects.filter(study=study))
        .select_related("code", "theme", "meeting", "author", "decided_by")
        .order_by("created_at", "pk")
    )


def audit_events_csv(*, study: Study, period: Period) -> Iterator[str]:
    """Every event of the period in chain order, values as JSON (one query, streamed)."""
    events = study_events(study=study, period=period).values_list(*EVENT_FIELDS)
    rows = (
        [_cell(column, value) for column, value in zip(EVENT_COLUMNS, row, strict=True)]
        for row in events.iterator(chunk_size=2_000)
    )
    return _csv_lines(EVENT_COLUMNS, rows)


def _decision_row(d: Decision) -> list:
    return [
        d.pk,
        d.created_at.isoformat(),
        d.kind,
        d.state,
        d.code.name if d.code else "",
        d.theme.name if d.theme else "",
        d.meeting.title if d.meeting else "",
        d.meeting.date.isoformat() if d.meeting else "",
        d.author.username,
        d.rationale,
        _json(d.before),
        _json(d.after),
        _json(d.proposal),
        d.decided_by.username if d.decided_by else "",
        d.decided_at.isoformat() if d.decided_at else "",
        d.decision_note,
    ]


def decision_log_csv(*, study: Study, period: Period) -> Iterator[str]:
    """The decisions and proposals of the period, oldest first."""
    decisions = study_decisions(study=study, period=period)
    return _csv_lines(DECISION_COLUMNS, (_decision_row(d) for d in decisions))
