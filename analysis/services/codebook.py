from typing import Any

from django.db import transaction
from django.utils import timezone

from dyads.audit import audit_record
from dyads.changes import apply_changes, check_version, snapshot, validate
from dyads.exceptions import DomainError
from dyads.models import Study
from dyads.permissions import Action, study_access

from ..models import Code, DecisionKind, MeetingRecord
from .decisions import decision_record

CODE_TEXT_FIELDS = {"definition", "inclusion_criteria", "exclusion_criteria", "example"}
CODE_COSMETIC_FIELDS = {"colour", "position"}
CODE_FIELDS = {"name", "parent"} | CODE_TEXT_FIELDS | CODE_COSMETIC_FIELDS


def _check_parent(study: Study, parent: Code | None, code: Code | None = None) -> None:
    if parent is None:
        return
    if parent.study_id != study.pk or parent.retired_at is not None:
        raise DomainError({"parent": "The parent code is not an active code of this study."})
    ancestor = parent
    while ancestor is not None:
        if code is not None and ancestor.pk == code.pk:
            raise DomainError({"parent": f"'{code.name}' cannot be moved under its own sub-code."})
        ancestor = ancestor.parent


def _check_name_free(study: Study, name: str, parent: Code | None, code: Code | None = None):
    # The database's unique-name constraints, said with the field's name.
    taken = Code.objects.filter(study=study, parent=parent, name=name, retired_at__isnull=True)
    if code is not None:
        taken = taken.exclude(pk=code.pk)
    if taken.exists():
        where = f"under '{parent.name}'" if parent else "at the top level"
        raise DomainError({"name": f"There is already a code called '{name}' {where}."})


@transaction.atomic
def code_create(
    *,
    actor,
    study: Study,
    name: str,
    parent: Code | None = None,
    meeting: MeetingRecord | None = None,
    rationale: str = "",
    **fields: Any,
) -> Code:
    study_access(actor, study, Action.CODE)
    unknown = set(fields) - (CODE_TEXT_FIELDS | CODE_COSMETIC_FIELDS)
    if unknown:
        raise DomainError(dict.fromkeys(sorted(unknown), "Unknown code field."))
    _check_parent(study, parent)
    _check_name_free(study, name.strip(), parent)
    code = Code(study=study, name=name.strip(), parent=parent, **fields)
    validate(code)
    code.save()
    after = snapshot(code, fields=sorted(CODE_FIELDS))
    audit_record(study=study, actor=actor, action="code.create", target=code, new=after)
    decision_record(
        actor=actor,
        study=study,
        kind=DecisionKind.CODE_CREATE,
        meeting=meeting,
        rationale=rationale,
        after=after,
        code=code,
    )
    return code


def _decision_kind_for(changed: set[str]) -> DecisionKind | None:
    """The decision a change of these fields stands for; cosmetic changes need none."""
    if "parent" in changed:
        return DecisionKind.CODE_MOVE
    if "name" in changed:
        return DecisionKind.CODE_RENAME
    if changed & CODE_TEXT_FIELDS:
        return DecisionKind.CODE_REDEFINE
    return None


@transaction.atomic
def code_update(
    *,
    actor,
    code: Code,
    version: int | None = None,
    meeting: MeetingRecord | None = None,
    rationale: str = "",
    **changes: Any,
) -> Code:
    """Rename, redefine, move or recolour a code; a stale version answers Conflict."""
    study_access(actor, code.study, Action.CODE)
    code = Code.objects.select_for_update().get(pk=code.pk)
    if code.retired_at is not None:
        raise DomainError("A retired code cannot be changed.")
    if "parent" in changes:
        _check_parent(code.study, changes["parent"], code)
    if "name" in changes or "parent" in changes:
        _check_name_free(
            code.study, changes.get("name", code.name), changes.get("parent", code.parent), code
        )
    old, new = apply_changes(code, changes, allowed=CODE_FIELDS, version=version)
    if not new:
        return code
    audit_record(study=code.study, actor=actor, action="code.update", target=code, old=old, new=new)
    kind = _decision_kind_for(set(new))
    if kind is not None:
        decision_record(
            actor=actor,
            study=code.study,
            kind=kind,
            meeting=meeting,
            rationale=rationale,
            before=old,
            after=new,
            code=code,
        )
    return code


@transaction.atomic
def code_retire(
    *,
    actor,
    code: Code,
    version: int | None = None,
    meeting: MeetingRecord | None = None,
    rationale: str = "",
) -> Code:
    """Retire a code (soft delete): its codings stay, it can no longer be applied."""
    study_access(actor, code.study, Action.CODE)
    code = Code.objects.select_for_update().get(pk=code.pk)
    if code.retired_at is not None:
        raise DomainError(f"Code '{code.name}' is already retired.")
    check_version(code, version)
    if code.children.filter(retired_at__isnull=True).exists():
        raise DomainError(f"Code '{code.name}' has active sub-codes; retire or move them first.")
    code.retired_at = timezone.now()
    code.version += 1
    code.save(update_fields=["retired_at", "version"])
    audit_record(
        study=code.study,
        actor=actor,
        action="code.retire",
        target=code,
        old={"retired_at": None},
        new={"retired_at": code.retired_at},
    )
    decision_record(
        actor=actor,
        study=code.study,
        kind=DecisionKind.CODE_RETIRE,
        meeting=meeting,
        rationale=rationale,
        before={"name": code.name},
        code=code,
    )
    return code
