"""The audit report as a supervisor's record (DOCX): whether the chain holds and the
latest signed checkpoint, the decision log with before → after, targets and reasons,
the meetings, the audit rounds with their findings and sign-off, each coder's work,
the audit comments and the trail's events, all in words (dyads.audit.words).
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict

from django.db.models import Count
from django.utils import timezone

from analysis.coding.models import Coding, CodingSession
from analysis.deliberation.models import Decision, DecisionKind, MeetingRecord
from analysis.supervision.audit_report import Period, study_decisions, study_events
from analysis.supervision.models import AuditFinding, AuditRound, AuditStratum, AuditVerdict
from analysis.supervision.selectors import audit_round_passages
from dyads.audit import audit_verify
from dyads.audit.checkpoints import checkpoint_latest, public_key_hex
from dyads.audit.words import audit_action_name, audit_in_words, payloads_in_words, plain
from dyads.models import Study
from dyads.selectors import display_name

REPORT_EVENT_LIMIT = 2_000  # the DOCX lists at most this many events; the CSV has them all
# Decision fields the report shows elsewhere (the subject in "About", targets in "Target").
SHOWN_ELSEWHERE = {"code", "name", "into", "into name", "merged into", "parts", "decision"}


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "Duet"


def _shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _table(document, header: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)


def _integrity(document, study: Study) -> None:
    chain = audit_verify(study=study)
    document.add_heading("Integrity of the audit trail", level=1)
    if chain.intact:
        document.add_paragraph(
            f"Verified: the hash chain was recomputed over all {chain.events_checked} "
            "recorded actions and is intact."
        )
    else:
        where = f"action number {chain.first_broken.sequence}" if chain.first_broken else "the end"
        document.add_paragraph(
            f"NOT verified: the hash chain is broken at {where}: {chain.problem}. "
            f"The {chain.events_checked} actions before it are intact."
        )
    checkpoint = checkpoint_latest(study)
    if checkpoint is None:
        document.add_paragraph("No signed checkpoint of the chain has been published yet.")
        return
    document.add_paragraph(
        "The latest signed checkpoint of the chain's head; keep a copy elsewhere: "
        "`manage.py verify_audit --checkpoint FILE` proves that the chain still extends it."
    )
    _table(
        document,
        ["Checkpoint", ""],
        [
            ["Public key (Ed25519, hex)", checkpoint.public_key or public_key_hex()],
            ["Sequence (actions covered)", checkpoint.sequence],
            ["Head hash", checkpoint.head_hash],
            ["Signed at", f"{checkpoint.signed_at:%Y-%m-%d %H:%M} UTC"],
        ],
    )


def _subject(decision: Decision) -> tuple[str, str]:
    if decision.code_id:
        return "analysis.code", f"code “{decision.code.name}”"
    if decision.theme_id:
        return "analysis.theme", f"theme “{decision.theme.name}”"
    return "", "the codebook"


def _target(decision: Decision, names: dict[str, str]) -> str:
    """What the decision moved the subject onto: a merge's code, a split's parts."""
    before, after = decision.before or {}, decision.after or {}
    if decision.kind == DecisionKind.CODE_MERGE:
        return f"into “{before.get('into_name') or names.get('merged into', '')}”"
    if decision.kind == DecisionKind.CODE_SPLIT and isinstance(after, dict):
        return "into " + ", ".join(f"“{part['name']}”" for part in after.get("parts", []))
    return ""


def _fields(pairs: list[tuple[str, str]]) -> str:
    shown = [f"{field}: {value}" for field, value in pairs if field not in SHOWN_ELSEWHERE]
    return "\n".join(shown) or "—"


def _reason(decision: Decision) -> str:
    parts = []
    if decision.meeting:
        parts.append(f"Agreed at “{decision.meeting.title}” ({decision.meeting.date:%Y-%m-%d}).")
    if decision.rationale:
        parts.append(decision.rationale)
    if decision.decision_note:
        parts.append(f"{decision.get_state_display()}: {decision.decision_note}")
    return _shorten(" ".join(parts)) or "—"


def _by(decision: Decision) -> str:
    if decision.decided_by and decision.decided_by_id != decision.author_id:
        return (
            f"Proposed by {_person(decision.author)}; {decision.get_state_display().lower()} by "
            f"{_person(decision.decided_by)} on {decision.decided_at:%Y-%m-%d}"
        )
    return _person(decision.author)


def _decision_log(document, study: Study, period: Period) -> None:
    document.add_heading("Decision log", level=1)
    decisions = list(study_decisions(study=study, period=period))
    subjects = [_subject(d) for d in decisions]
    words = payloads_in_words(
        [
            (label, payload)
            for (label, _), d in zip(subjects, decisions, strict=True)
            for payload in (d.before, d.after)
        ]
    )
    rows = []
    for index, (decision, (_, about)) in enumerate(zip(decisions, subjects, strict=True)):
        before, after = words[2 * index], words[2 * index + 1]
        rows.append(
            [
                f"{decision.created_at:%Y-%m-%d}",
                f"{decision.get_kind_display()} ({decision.get_state_display().lower()}): {about}",
                _fields(before),
                _fields(after),
                _target(decision, dict(after)),
                _reason(decision),
                _by(decision),
            ]
        )
    if not rows:
        document.add_paragraph("No decisions in the period.")
        return
    _table(document, ["Date", "Decision", "Before", "After", "Target", "Reason", "By"], rows)


def _meetings(document, study: Study, period: Period) -> None:
    document.add_heading("Analytic meetings", level=1)
    meetings = period.narrow(
        MeetingRecord.objects.filter(study=study).prefetch_related("attendees"), "date"
    ).order_by("date")
    for meeting in meetings:
        attendees = ", ".join(sorted(_person(u) for u in meeting.attendees.all()))
        document.add_paragraph(
            f"{meeting.date:%Y-%m-%d} {meeting.title} (attendees: {attendees or '—'})",
            style="List Bullet",
        )


def _round(document, audit_round: AuditRound) -> None:
    document.add_heading(audit_round.title, level=2)
    strata = ", ".join(AuditStratum(s).label.lower() for s in audit_round.strata) or "none"
    document.add_paragraph(
        f"Drawn by {_person(audit_round.created_by)} on {audit_round.created_at:%Y-%m-%d}: "
        f"{audit_round.per_stratum} per stratum (strata: {strata}) from "
        f"{audit_round.population_size} codings, seed {audit_round.seed}."
    )
    passages = audit_round_passages(audit_round=audit_round)
    verdicts = Counter(p.finding.verdict or "pending" for p in passages)
    document.add_paragraph(
        "Findings: "
        + ", ".join(f"{verdicts[v]} {AuditVerdict(v).label.lower()}" for v in AuditVerdict.values)
        + f", {verdicts['pending']} pending."
    )
    if audit_round.signed_off_at:
        note = f" Note: “{audit_round.sign_off_note}”" if audit_round.sign_off_note else ""
        document.add_paragraph(
            f"Signed off by {_person(audit_round.signed_off_by)} on "
            f"{audit_round.signed_off_at:%Y-%m-%d}.{note}"
        )
    else:
        document.add_paragraph("Not signed off yet.")
    _table(
        document,
        ["#", "Passage", "Code", "Coder", "Verdict", "Comment", "Coder's reply"],
        [
            [
                p.finding.position,
                f"{p.excerpt.participant}, interview {p.excerpt.interview_number}: "
                f"“{_shorten(p.excerpt.text, 200)}”",
                p.excerpt.code_name,
                p.excerpt.coder_name,
                p.finding.get_verdict_display() or "pending",
                p.finding.comment or "—",
                p.finding.coder_reply or "—",
            ]
            for p in passages
        ],
    )


def _rounds(document, study: Study, period: Period) -> None:
    document.add_heading("Audit rounds", level=1)
    rounds = period.narrow(AuditRound.objects.filter(study=study)).select_related(
        "created_by", "signed_off_by"
    )
    for audit_round in rounds.order_by("created_at", "pk"):
        _round(document, audit_round)


def _coders(document, study: Study) -> None:
    """Each coder's live codings, coding sessions and the findings on their codings."""
    document.add_heading("Coders", level=1)
    codings = dict(
        Coding.objects.filter(study=study, deleted_at__isnull=True)
        .values_list(display_name("coder"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    sessions = dict(
        CodingSession.objects.filter(study=study, coders__isnull=False)
        .values_list(display_name("coders"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    findings: dict[str, Counter] = defaultdict(Counter)
    rows = (
        AuditFinding.objects.filter(round__study=study)
        .values_list(display_name("coding__coder"), "verdict")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for coder, verdict, n in rows:
        findings[coder][verdict or "pending"] += n
    people = sorted(set(codings) | set(sessions) | set(findings))
    _table(
        document,
        ["Coder", "Live codings", "Coding sessions", "Audited passages", "Findings"],
        [
            [
                person,
                codings.get(person, 0),
                sessions.get(person, 0),
                sum(findings[person].values()),
                ", ".join(
                    f"{n} {AuditVerdict(v).label.lower() if v != 'pending' else v}"
                    for v, n in sorted(findings[person].items())
                )
                or "—",
            ]
            for person in people
        ],
    )


def _events(document, study: Study, period: Period) -> None:
    events = study_events(study=study, period=period).select_related("actor")
    counts = Counter(events.values_list("action", flat=True))
    document.add_heading("Changes in the period", level=1)
    _table(
        document,
        ["Action", "Times"],
        sorted([audit_action_name(a).capitalize(), n] for a, n in counts.items()),
    )
    told = audit_in_words(study=study, events=events[:REPORT_EVENT_LIMIT])
    document.add_heading("Audit comments", level=1)
    comments = [t for t in told if t.event.action == "audit_comment.create"]
    for comment in comments:
        text = (comment.event.new_value or {}).get("text", "")
        document.add_paragraph(
            f"{comment.event.created_at:%Y-%m-%d} {plain(comment.sentence)}: “{text}”",
            style="List Bullet",
        )
    if not comments:
        document.add_paragraph("No audit comments in the period.")
    document.add_heading("The trail", level=1)
    total = sum(counts.values())
    if total > REPORT_EVENT_LIMIT:
        document.add_paragraph(
            f"The first {REPORT_EVENT_LIMIT} of {total} actions; the CSV export has them all."
        )
    _table(
        document,
        ["When", "What happened", "Reason"],
        [
            [
                f"{t.event.created_at:%Y-%m-%d %H:%M}",
                "\n".join(
                    [plain(t.sentence) + "."]
                    + [
                        f"{c.field}: {c.after}"
                        if c.before is None
                        else f"{c.field}: {c.before} → {c.after}"
                        for c in t.changes
                    ]
                ),
                _shorten(t.event.reason) or "—",
            ]
            for t in told
        ],
    )


def audit_report_docx(*, study: Study, period: Period) -> bytes:
    """The study's audit report for the period (a fixed number of queries, and four more
    for each audit round)."""
    from docx import Document  # python-docx is loaded when a report is downloaded
    from docx.shared import Pt

    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(f"Audit report: {study.title}", level=0)
    document.add_paragraph(
        f"Period: {period}. Generated {timezone.now():%Y-%m-%d %H:%M} UTC. "
        f"Ethics approval: {study.ethics_approval_reference or '—'}."
    )
    _integrity(document, study)
    _decision_log(document, study, period)
    _meetings(document, study, period)
    _rounds(document, study, period)
    _coders(document, study)
    _events(document, study, period)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
