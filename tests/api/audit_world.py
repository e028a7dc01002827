"""Objects of meetings, decisions, the journal and the audit, made in the role matrix's
world when a row's URL is built (inside each role's rolled-back savepoint)."""

import datetime as dt

from analysis.deliberation.models import (
    Decision,
    DecisionKind,
    DecisionState,
    JournalEntry,
    MeetingPassage,
)
from analysis.supervision.models import AuditFinding, AuditRound
from dyads.models import AuditComment
from tests.api.world import World


def proposal(w: World) -> Decision:
    return Decision.objects.create(
        study=w.study,
        kind=DecisionKind.CODE_REDEFINE,
        state=DecisionState.PROPOSED,
        code=w.code,
        proposal={"changes": {"definition": "Safe enough to speak."}},
        rationale="Read differently.",
        author=w.cast.analyst,
    )


def passage(w: World) -> MeetingPassage:
    return MeetingPassage.objects.create(
        meeting=w.meeting,
        interview=w.cast.client_interview,
        t_start=1_000,
        t_end=9_000,
        added_by=w.cast.owner,
    )


def shared_entry(w: World) -> JournalEntry:
    """A shared reflexive memo of the analyst's."""
    return JournalEntry.objects.create(
        study=w.study, author=w.cast.analyst, date=dt.date(2026, 5, 4), text="Hm.", shared=True
    )


def finding(w: World, *, recorded: bool) -> AuditFinding:
    """A finding on the analyst's coding, in a round of its own; `recorded`: with a verdict."""
    audit_round = AuditRound.objects.create(
        study=w.study,
        title=f"Round {AuditRound.objects.count() + 1}",
        seed=1,
        per_stratum=1,
        population_at=w.coding.created_at,
        population_size=1,
        created_by=w.cast.auditor,
    )
    return AuditFinding.objects.create(
        round=audit_round,
        coding=w.coding,
        position=1,
        verdict="query" if recorded else "",
        comment="Why?" if recorded else "",
        recorded_by=w.cast.auditor if recorded else None,
        recorded_at=w.coding.created_at if recorded else None,
    )


def comment(w: World) -> AuditComment:
    return AuditComment.objects.create(
        study=w.study,
        author=w.cast.auditor,
        object_type="analysis.coding",
        object_id=str(w.coding.pk),
        text="Why this code?",
    )
