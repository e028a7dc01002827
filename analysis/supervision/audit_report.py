"""The audit trail and the decision log of a study and date range, as CSV and as a
readable DOCX audit report (chain check, decisions, meetings, audit rounds, comments
and the events themselves).

The CSV writers yield lines, so a view can stream a long trail without holding it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from analysis.deliberation.models import Decision, MeetingRecord
from analysis.supervision.models import AuditRound
from dyads.audit import audit_verify
from dyads.audit.checkpoints import checkpoint_latest, public_key_hex
from dyads.csvfile import csv_writer
from dyads.models import AuditComment, AuditEvent, Study

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
REPORT_EVENT_LIMIT = 2_000  # the DOCX lists at most this many events; the CSV has them all


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


# The DOCX audit report ------------------------------------------------------------------


def _table(document, header: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _checkpoint_paragraph(document, study: Study) -> None:
    """The key that signs checkpoints, so that a reader can check the ones they keep."""
    checkpoint = checkpoint_latest(study)
    latest = (
        f"The latest is of event #{checkpoint.sequence} (hash {checkpoint.head_hash}), "
        f"signed {checkpoint.signed_at:%Y-%m-%d %H:%M} UTC."
        if checkpoint
        else "None has been published yet."
    )
    document.add_paragraph(
        "Signed checkpoints of the chain's head are published daily; `manage.py verify_audit "
        "--checkpoint FILE` proves that the chain still extends one. They are signed with the "
        f"Ed25519 public key {public_key_hex()} (hex). {latest}"
    )


def audit_report_docx(*, study: Study, period: Period) -> bytes:
    """A readable audit report of the study for the period (a fixed number of queries)."""
    from docx import Document  # python-docx is loaded when a report is downloaded
    from docx.shared import Pt

    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(f"Audit report: {study.title}", level=0)
    document.add_paragraph(
        f"Period: {period}. Generated {timezone.now():%Y-%m-%d %H:%M} UTC. "
        f"Ethics approval: {study.ethics_approval_reference or '—'}."
    )
    chain = audit_verify(study=study)
    document.add_heading("Integrity of the audit trail", level=1)
    if chain.intact:
        document.add_paragraph(
            f"The hash chain was recomputed over all {chain.events_checked} events: intact."
        )
    else:
        where = f"event #{chain.first_broken.sequence}" if chain.first_broken else "the end"
        document.add_paragraph(
            f"The hash chain is BROKEN at {where}: {chain.problem}. "
            f"The {chain.events_checked} events before it are intact."
        )
    _checkpoint_paragraph(document, study)

    events = study_events(study=study, period=period).select_related("actor")
    counts = Counter(events.values_list("action", flat=True))
    document.add_heading("Changes in the period", level=1)
    _table(document, ["Action", "Events"], [[a, n] for a, n in sorted(counts.items())])

    document.add_heading("Decision log", level=1)
    _table(
        document,
        ["Date", "Kind", "State", "About", "Meeting or rationale", "By"],
        [
            [
                f"{d.created_at:%Y-%m-%d}",
                d.get_kind_display(),
                d.get_state_display(),
                (d.code or d.theme or "—"),
                d.meeting.title if d.meeting else _shorten(d.rationale),
                d.author.username,
            ]
            for d in study_decisions(study=study, period=period)
        ],
    )

    document.add_heading("Analytic meetings", level=1)
    meetings = period.narrow(
        MeetingRecord.objects.filter(study=study).prefetch_related("attendees"), "date"
    ).order_by("date")
    for meeting in meetings:
        attendees = ", ".join(sorted(u.username for u in meeting.attendees.all()))
        document.add_paragraph(
            f"{meeting.date:%Y-%m-%d} {meeting.title} (attendees: {attendees or '—'})",
            style="List Bullet",
        )

    document.add_heading("Audit rounds", level=1)
    rounds = period.narrow(AuditRound.objects.filter(study=study)).select_related(
        "created_by", "signed_off_by"
    )
    for audit_round in rounds.prefetch_related("findings__coding__code", "findings__coding__coder"):
        signed = (
            f"signed off by {audit_round.signed_off_by.username} on "
            f"{audit_round.signed_off_at:%Y-%m-%d}"
            if audit_round.signed_off_at
            else "not signed off"
        )
        document.add_heading(audit_round.title, level=2)
        document.add_paragraph(
            f"Drawn by {audit_round.created_by.username}, seed {audit_round.seed}, strata "
            f"{', '.join(audit_round.strata) or 'none'}, {audit_round.per_stratum} per stratum, "
            f"from {audit_round.population_size} codings; {signed}."
        )
        _table(
            document,
            ["#", "Coding", "Code", "Coder", "Verdict", "Comment", "Coder's answer"],
            [
                [
                    f.position,
                    f.coding_id,
                    f.coding.code.name,
                    f.coding.coder.username,
                    f.get_verdict_display() or "pending",
                    _shorten(f.comment),
                    _shorten(f.coder_reply),
                ]
                for f in audit_round.findings.all()
            ],
        )

    document.add_heading("Audit comments", level=1)
    for comment in period.narrow(AuditComment.objects.filter(study=study)).select_related("author"):
        document.add_paragraph(
            f"{comment.created_at:%Y-%m-%d} {comment.author.username} on "
            f"{comment.object_type} {comment.object_id}: {comment.text}",
            style="List Bullet",
        )

    document.add_heading("Events", level=1)
    total = sum(counts.values())
    if total > REPORT_EVENT_LIMIT:
        document.add_paragraph(
            f"The first {REPORT_EVENT_LIMIT} of {total} events; the CSV export has them all."
        )
    _table(
        document,
        ["#", "When", "Who", "Action", "Object", "Reason"],
        [
            [
                e.sequence,
                f"{e.created_at:%Y-%m-%d %H:%M}",
                e.actor.username if e.actor else "—",
                e.action,
                f"{e.object_type} {e.object_id}",
                _shorten(e.reason),
            ]
            for e in events[:REPORT_EVENT_LIMIT]
        ],
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
