"""Decisions: the record behind every codebook and theme change.

A change made directly (by an owner or analyst, citing a meeting or a
rationale) records an accepted Decision through `decision_record`. A change
proposed by an analyst is a Decision in state `proposed` holding the intended
change as data (analysis.deliberation.services.proposals); when an owner accepts it, the
change is applied through the same codebook or theme service, and that
service's `decision_record` call fills in the proposal (state accepted, before
and after, who decided and where) instead of adding a second Decision.
"""

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from analysis.coding.models import Code
from analysis.deliberation.models import Decision, DecisionKind, DecisionState, MeetingRecord
from analysis.themes.models import Theme
from dyads.audit import audit_record
from dyads.changes import snapshot, validate
from dyads.exceptions import DomainError
from dyads.models import Study

DECISION_FIELDS = ["kind", "state", "meeting", "rationale", "code", "theme"]
OUTCOME_FIELDS = ["state", "meeting", "before", "after", "code", "theme", "decided_by"]


@dataclass
class _Pending:
    """The proposal an owner is accepting while its change is being applied."""

    proposal: Decision
    fulfilled: bool = False


_accepting: contextvars.ContextVar[_Pending | None] = contextvars.ContextVar(
    "accepting_proposal", default=None
)


def decision_record(
    *,
    actor,
    study: Study,
    kind: DecisionKind,
    meeting: MeetingRecord | None,
    rationale: str,
    before: Any = None,
    after: Any = None,
    code: Code | None = None,
    theme: Theme | None = None,
) -> Decision:
    """Record the decision behind a codebook or theme change; call inside the change's transaction."""
    if meeting is not None and meeting.study_id != study.pk:
        raise DomainError({"meeting": "The meeting belongs to another study."})
    if meeting is None and not rationale.strip():
        raise DomainError(
            {"rationale": "Name the meeting where this was agreed, or give a rationale."}
        )
    pending = _accepting.get()
    if pending is not None and not pending.fulfilled and pending.proposal.kind == kind:
        pending.fulfilled = True
        return _fulfil(
            pending.proposal,
            actor=actor,
            meeting=meeting,
            note=rationale,
            before=before,
            after=after,
            code=code,
            theme=theme,
        )
    decision = Decision(
        study=study,
        kind=kind,
        meeting=meeting,
        rationale=rationale.strip(),
        before=before,
        after=after,
        code=code,
        theme=theme,
        author=actor,
    )
    validate(decision)
    decision.save()
    audit_record(
        study=study,
        actor=actor,
        action="decision.record",
        target=decision,
        new=snapshot(decision, fields=DECISION_FIELDS),
        reason=decision.rationale,
    )
    return decision


def _fulfil(
    proposal: Decision,
    *,
    actor,
    meeting: MeetingRecord | None,
    note: str,
    before: Any,
    after: Any,
    code: Code | None,
    theme: Theme | None,
) -> Decision:
    """Turn the proposal being accepted into the decision of the change just applied."""
    proposal.state = DecisionState.ACCEPTED
    proposal.meeting = meeting or proposal.meeting
    proposal.decision_note = note.strip()
    proposal.before, proposal.after = before, after
    proposal.code = code or proposal.code
    proposal.theme = theme or proposal.theme
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    validate(proposal)
    proposal.save()
    audit_record(
        study=proposal.study,
        actor=actor,
        action="decision.accept",
        target=proposal,
        old={"state": DecisionState.PROPOSED},
        new={**snapshot(proposal, fields=OUTCOME_FIELDS), "decision_note": proposal.decision_note},
        reason=proposal.decision_note,
    )
    return proposal


@contextlib.contextmanager
def accepting(proposal: Decision) -> Iterator[_Pending]:
    """While the block applies a proposal's change, the change's decision fills in the proposal."""
    pending = _Pending(proposal)
    token = _accepting.set(pending)
    try:
        yield pending
    finally:
        _accepting.reset(token)
