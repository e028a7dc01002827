"""Proposed decisions: an analyst proposes a codebook or theme change, an owner decides.

A proposal is a Decision in state `proposed` whose `proposal` field holds the
intended change as data: `{"changes": {...}}` with related objects as ids. It
is tried out when it is made (applied and rolled back), so a change that could
never be applied is refused at once, naming the field. Accepting it applies the
change through the same codebook or theme service a direct change uses, inside
`decisions.accepting`, so the service's decision fills in the proposal rather
than adding a second one. Rejecting it needs a reason. Every step is audited.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from analysis.coding.models import Code, Coding
from analysis.coding.services import codebook
from analysis.deliberation.models import Decision, DecisionKind, DecisionState, MeetingRecord
from analysis.deliberation.services.decisions import DECISION_FIELDS, accepting
from analysis.themes.models import Theme
from analysis.themes.services import themes
from dyads.audit import audit_record
from dyads.changes import snapshot, validate
from dyads.exceptions import DomainError
from dyads.models import Study
from dyads.permissions import Action, study_access

CODE_TEXTS = {"definition", "inclusion_criteria", "exclusion_criteria", "example"}
THEME_TEXTS = {"name", "description", "client_description", "therapist_description"}


@dataclass(frozen=True)
class ProposalKind:
    """What a proposal of one kind names, may change, and which service applies it."""

    target: type[Model] | None
    fields: frozenset[str]
    required: frozenset[str]
    apply: Callable[..., Any]  # apply(actor, study, target, changes, meeting, rationale)


def _applied_by(service: Callable[..., Any], target: str | None) -> Callable[..., Any]:
    """apply(actor, study, target, changes, meeting, rationale) through `service`, which
    takes the target object as `target` (or, for a creation, the study)."""

    def apply(actor, study, obj, changes, meeting, rationale):
        where = {target: obj} if target else {"study": study}
        return service(actor=actor, meeting=meeting, rationale=rationale, **where, **changes)

    return apply


def _kind(target, fields=(), required=(), *, apply) -> ProposalKind:
    return ProposalKind(target, frozenset(fields), frozenset(required), apply)


KINDS: dict[DecisionKind, ProposalKind] = {
    DecisionKind.CODE_CREATE: _kind(
        None,
        {"name", "parent", "colour", *CODE_TEXTS},
        {"name"},
        apply=_applied_by(codebook.code_create, None),
    ),
    DecisionKind.CODE_RENAME: _kind(
        Code, {"name"}, {"name"}, apply=_applied_by(codebook.code_update, "code")
    ),
    DecisionKind.CODE_REDEFINE: _kind(
        Code, CODE_TEXTS, apply=_applied_by(codebook.code_update, "code")
    ),
    DecisionKind.CODE_MOVE: _kind(
        Code, {"parent"}, {"parent"}, apply=_applied_by(codebook.code_update, "code")
    ),
    DecisionKind.CODE_RETIRE: _kind(Code, apply=_applied_by(codebook.code_retire, "code")),
    DecisionKind.CODE_MERGE: _kind(
        Code, {"into"}, {"into"}, apply=_applied_by(codebook.code_merge, "code")
    ),
    DecisionKind.CODE_SPLIT: _kind(
        Code,
        {"parts", "retire_original"},
        {"parts"},
        apply=_applied_by(codebook.code_split, "code"),
    ),
    DecisionKind.THEME_CREATE: _kind(
        None,
        {"parent", "codes", *THEME_TEXTS},
        {"name"},
        apply=_applied_by(themes.theme_create, None),
    ),
    DecisionKind.THEME_REVISE: _kind(
        Theme, THEME_TEXTS, apply=_applied_by(themes.theme_update, "theme")
    ),
    DecisionKind.THEME_LINK_CODE: _kind(
        Theme, {"codes"}, {"codes"}, apply=_applied_by(themes.theme_update, "theme")
    ),
    DecisionKind.THEME_MOVE: _kind(
        Theme, {"parent", "position"}, {"parent"}, apply=_applied_by(themes.theme_update, "theme")
    ),
    DecisionKind.THEME_RETIRE: _kind(Theme, apply=_applied_by(themes.theme_retire, "theme")),
    DecisionKind.THEME_SET_QUOTE: _kind(
        Theme, {"coding"}, {"coding"}, apply=_applied_by(themes.theme_quote_add, "theme")
    ),
}

# Fields that name other objects of the study, by id.
RELATED: dict[str, type[Model]] = {"into": Code, "codes": Code, "coding": Coding}


def _related_model(kind: DecisionKind, field: str) -> type[Model] | None:
    if field == "parent":
        return Code if kind.value.startswith("code_") else Theme
    return RELATED.get(field)


def _resolve(study: Study, kind: DecisionKind, changes: dict[str, Any]) -> dict[str, Any]:
    """The changes with ids turned into the study's objects; unknown ids name their field."""
    resolved = {}
    for field, value in changes.items():
        model = _related_model(kind, field)
        if model is None or value is None:
            resolved[field] = value
            continue
        ids = value if isinstance(value, list) else [value]
        if not all(isinstance(pk, int) for pk in ids):
            raise DomainError({field: "Give the id (a whole number) of each object."})
        found = {obj.pk: obj for obj in model._default_manager.filter(study=study, pk__in=ids)}
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise DomainError(
                {field: f"No {model._meta.verbose_name} with id {missing[0]} in this study."}
            )
        resolved[field] = [found[pk] for pk in ids] if isinstance(value, list) else found[value]
    return resolved


def _check_shape(kind: DecisionKind, target: Model | None, changes: Any) -> ProposalKind:
    spec = KINDS[kind]
    if not isinstance(changes, dict):
        raise DomainError({"changes": "Give the proposed change as an object of fields."})
    unknown = set(changes) - spec.fields
    if unknown:
        allowed = ", ".join(sorted(spec.fields)) or "nothing"
        raise DomainError(
            {
                "changes": f"A {kind.label.lower()} proposal cannot set {', '.join(sorted(unknown))} "
                f"(it may set: {allowed})."
            }
        )
    missing = spec.required - set(changes)
    if missing or (not spec.required and spec.fields and not changes):
        needed = ", ".join(sorted(missing or spec.fields))
        raise DomainError({"changes": f"A {kind.label.lower()} proposal must set {needed}."})
    if spec.target is None and target is not None:
        raise DomainError({"target": f"A {kind.label.lower()} proposal names no existing object."})
    if spec.target is not None and not isinstance(target, spec.target):
        name = spec.target._meta.verbose_name
        raise DomainError({name: f"A {kind.label.lower()} proposal must name the {name}."})
    return spec


class _TriedOut(Exception):
    """Rolls back a proposal's trial application."""


def _apply(proposal: Decision, actor, meeting: MeetingRecord | None, rationale: str) -> None:
    kind = DecisionKind(proposal.kind)
    changes = _resolve(proposal.study, kind, proposal.proposal["changes"])
    target = proposal.code if KINDS[kind].target is Code else proposal.theme
    KINDS[kind].apply(actor, proposal.study, target, changes, meeting, rationale)


@transaction.atomic
def decision_propose(
    *,
    actor,
    study: Study,
    kind: DecisionKind | str,
    changes: dict[str, Any],
    code: Code | None = None,
    theme: Theme | None = None,
    meeting: MeetingRecord | None = None,
    rationale: str = "",
) -> Decision:
    """Propose a codebook or theme change; nothing changes until an owner accepts it."""
    study_access(actor, study, Action.PROPOSE_DECISION)
    if kind not in DecisionKind.values:
        raise DomainError({"kind": f"Unknown kind of decision '{kind}'."})
    kind = DecisionKind(kind)
    for obj in (code, theme, meeting):
        if obj is not None and obj.study_id != study.pk:
            raise DomainError({obj._meta.model_name: "It belongs to another study."})
    _check_shape(kind, code or theme, changes)
    if meeting is None and not rationale.strip():
        raise DomainError({"rationale": "Say why you propose this, or name the meeting."})
    proposal = Decision(
        study=study,
        kind=kind,
        state=DecisionState.PROPOSED,
        proposal={"changes": changes},
        code=code,
        theme=theme,
        meeting=meeting,
        rationale=rationale.strip(),
        author=actor,
    )
    validate(proposal)
    try:
        with transaction.atomic():
            _apply(proposal, actor, meeting, rationale)
            raise _TriedOut
    except _TriedOut:
        pass
    proposal.save()
    audit_record(
        study=study,
        actor=actor,
        action="decision.propose",
        target=proposal,
        new={**snapshot(proposal, fields=DECISION_FIELDS), "proposal": proposal.proposal},
        reason=proposal.rationale,
    )
    return proposal


def _lock_proposal(actor, decision: Decision) -> Decision:
    study_access(actor, decision.study, Action.ACCEPT_DECISION)
    decision = Decision.objects.select_for_update().select_related("study").get(pk=decision.pk)
    if decision.state != DecisionState.PROPOSED:
        raise DomainError(f"This decision was already {decision.get_state_display().lower()}.")
    return decision


@transaction.atomic
def decision_accept(
    *, actor, decision: Decision, meeting: MeetingRecord | None = None, note: str = ""
) -> Decision:
    """Accept a proposal in or after a meeting (or with a note) and apply its change."""
    proposal = _lock_proposal(actor, decision)
    if meeting is None and not note.strip():
        raise DomainError({"note": "Name the meeting where it was accepted, or say why."})
    with accepting(proposal) as pending:
        _apply(proposal, actor, meeting, note)
    if not pending.fulfilled:
        raise DomainError("The proposed change would change nothing any more.")
    return proposal


@transaction.atomic
def decision_reject(*, actor, decision: Decision, reason: str) -> Decision:
    """Reject a proposal, saying why; nothing is changed."""
    proposal = _lock_proposal(actor, decision)
    if not reason.strip():
        raise DomainError({"reason": "Say why the proposal is rejected."})
    proposal.state = DecisionState.REJECTED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_note = reason.strip()
    validate(proposal)
    proposal.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit_record(
        study=proposal.study,
        actor=actor,
        action="decision.reject",
        target=proposal,
        old={"state": DecisionState.PROPOSED},
        new={"state": DecisionState.REJECTED, "decision_note": proposal.decision_note},
        reason=proposal.decision_note,
    )
    return proposal
