from typing import Any

from dyads.audit import audit_record
from dyads.changes import snapshot, validate
from dyads.exceptions import DomainError
from dyads.models import Study

from ..models import Code, Decision, DecisionKind, MeetingRecord, Theme


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
        new=snapshot(decision, fields=["kind", "state", "meeting", "rationale", "code", "theme"]),
        reason=decision.rationale,
    )
    return decision
