"""Changes to the codebook: create, rename, redefine, move, merge, split and retire codes.

Every change that alters what a code means or where it stands is also a
Decision citing a meeting or a rationale (`decision_record`). Changes to the
tree's structure (create, move, merge, split, retire) first lock every code of
the study in id order, so two of them never interleave into a cycle or a
sub-code under a retired parent, and queue rather than deadlock.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

from analysis.coding.models import Code, Coding, Memo
from analysis.coding.selectors.codebook import merge_duplicates, next_code_colour
from analysis.deliberation.models import DecisionKind, MeetingRecord
from analysis.deliberation.services.decisions import decision_record
from dyads.audit import audit_record
from dyads.changes import apply_changes, check_version, snapshot, validate
from dyads.exceptions import DomainError
from dyads.models import Study
from dyads.permissions import Action, study_access

CODE_TEXT_FIELDS = {"definition", "inclusion_criteria", "exclusion_criteria", "example"}
CODE_COSMETIC_FIELDS = {"colour", "position"}
CODE_FIELDS = {"name", "parent"} | CODE_TEXT_FIELDS | CODE_COSMETIC_FIELDS
CODE_NEW_FIELDS = CODE_TEXT_FIELDS | CODE_COSMETIC_FIELDS


def _lock_codebook(study: Study) -> dict[int, Code]:
    """Lock all the study's codes (in id order) and return them, current, by id.

    FOR NO KEY UPDATE: structure changes queue behind each other, while coders
    go on committing codings (their foreign-key checks take KEY SHARE locks).
    """
    codes = Code.objects.select_for_update(no_key=True).filter(study=study).order_by("pk")
    return {code.pk: code for code in codes}


def _locked(codes: dict[int, Code], code: Code, field: str) -> Code:
    """The locked, current row of `code`; a code of another study is refused on `field`."""
    current = codes.get(code.pk)
    if current is None:
        raise DomainError({field: "The code is not a code of this study."})
    return current


def _check_parent(codes: dict[int, Code], parent: Code | None, code: Code | None = None) -> None:
    if parent is None:
        return
    current = codes.get(parent.pk)
    if current is None or current.retired_at is not None:
        raise DomainError({"parent": "The parent code is not an active code of this study."})
    ancestor = current
    while ancestor is not None:
        if code is not None and ancestor.pk == code.pk:
            raise DomainError({"parent": f"'{code.name}' cannot be moved under its own sub-code."})
        ancestor = codes.get(ancestor.parent_id)


def _check_name_free(
    study: Study, name: str, parent: Code | None, code: Code | None = None, field: str = "name"
) -> None:
    # The database's unique-name constraints, said with the field's name.
    taken = Code.objects.filter(study=study, parent=parent, name=name, retired_at__isnull=True)
    if code is not None:
        taken = taken.exclude(pk=code.pk)
    if taken.exists():
        where = f"under '{parent.name}'" if parent else "at the top level"
        raise DomainError({field: f"There is already a code called '{name}' {where}."})


def _new_code(
    *, actor, study: Study, name: str, parent: Code | None, fields: dict, field: str = "name"
) -> Code:
    """Validate and save a new code and audit it; the caller records the decision."""
    unknown = set(fields) - CODE_NEW_FIELDS
    if unknown:
        raise DomainError(dict.fromkeys(sorted(unknown), "Unknown code field."))
    _check_name_free(study, name.strip(), parent, field=field)
    fields.setdefault("colour", next_code_colour(study))
    code = Code(study=study, name=name.strip(), parent=parent, **fields)
    validate(code)
    code.save()
    audit_record(
        study=study,
        actor=actor,
        action="code.create",
        target=code,
        new=snapshot(code, fields=sorted(CODE_FIELDS)),
    )
    return code


def _retire(code: Code, **extra: Any) -> None:
    code.retired_at = timezone.now()
    code.version += 1
    for field, value in extra.items():
        setattr(code, field, value)
    code.save(update_fields=["retired_at", "version", *extra])


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
    _check_parent(_lock_codebook(study), parent)
    code = _new_code(actor=actor, study=study, name=name, parent=parent, fields=fields)
    decision_record(
        actor=actor,
        study=study,
        kind=DecisionKind.CODE_CREATE,
        meeting=meeting,
        rationale=rationale,
        after=snapshot(code, fields=sorted(CODE_FIELDS)),
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
    if "parent" in changes:
        codes = _lock_codebook(code.study)
        code = _locked(codes, code, "code")
        _check_parent(codes, changes["parent"], code)
    else:
        code = Code.objects.select_for_update().get(pk=code.pk)
    if code.retired_at is not None:
        raise DomainError("A retired code cannot be changed.")
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


def code_move(
    *,
    actor,
    code: Code,
    parent: Code | None,
    version: int | None = None,
    meeting: MeetingRecord | None = None,
    rationale: str = "",
) -> Code:
    """Re-parent a code (None: to the top level); moving it under its own sub-code is refused."""
    return code_update(
        actor=actor,
        code=code,
        version=version,
        meeting=meeting,
        rationale=rationale,
        parent=parent,
    )


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
    code = _locked(_lock_codebook(code.study), code, "code")
    if code.retired_at is not None:
        raise DomainError(f"Code '{code.name}' is already retired.")
    check_version(code, version)
    if code.children.filter(retired_at__isnull=True).exists():
        raise DomainError(f"Code '{code.name}' has active sub-codes; retire or move them first.")
    _retire(code)
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


@transaction.atomic
def code_merge(
    *,
    actor,
    code: Code,
    into: Code,
    version: int | None = None,
    meeting: MeetingRecord | None = None,
    rationale: str = "",
) -> Code:
    """Merge `code` into `into`: its codings, memos, sub-codes and theme links move to
    `into`, and `code` is retired with a pointer to it. Returns the survivor.

    A coding that would duplicate one its coder already made with `into` (same
    span and session) is removed (soft) instead of moved. The audit event lists
    every coding moved or removed, so the history of each passage stays readable.
    """
    study_access(actor, code.study, Action.CODE)
    codes = _lock_codebook(code.study)
    code = _locked(codes, code, "code")
    into = _locked(codes, into, "into")
    if code.retired_at is not None:
        raise DomainError(f"Code '{code.name}' is retired and cannot be merged.")
    check_version(code, version)
    if into.retired_at is not None:
        raise DomainError({"into": f"Code '{into.name}' is retired; merge into an active code."})
    if into.pk == code.pk:
        raise DomainError({"into": "A code cannot be merged into itself."})
    ancestor = codes.get(into.parent_id)
    while ancestor is not None:
        if ancestor.pk == code.pk:
            raise DomainError(
                {"into": f"'{into.name}' is a sub-code of '{code.name}'; move it out first."}
            )
        ancestor = codes.get(ancestor.parent_id)
    sub_codes = [c for c in codes.values() if c.parent_id == code.pk and c.retired_at is None]
    for child in sub_codes:
        _check_name_free(code.study, child.name, into, child, field="into")

    live = list(
        Coding.objects.filter(code=code, deleted_at__isnull=True).values_list("pk", flat=True)
    )
    removed = merge_duplicates(into, live)
    moved = sorted(set(live) - set(removed))
    now = timezone.now()
    Coding.objects.filter(pk__in=moved).update(code=into)
    Coding.objects.filter(pk__in=removed).update(deleted_at=now)
    memos = list(
        Memo.objects.filter(code=code, deleted_at__isnull=True).values_list("pk", flat=True)
    )
    Memo.objects.filter(pk__in=memos).update(code=into)
    for child in sub_codes:
        child.parent = into
        child.version += 1
        child.save(update_fields=["parent", "version"])
    _retire(code, merged_into=into)
    themes = list(code.themes.values_list("pk", flat=True))

    audit_record(
        study=code.study,
        actor=actor,
        action="code.merge",
        target=code,
        old={"retired_at": None, "parent": code.parent_id, "codings": live},
        new={
            "merged_into": into.pk,
            "retired_at": code.retired_at,
            "codings_moved": moved,
            "codings_removed_as_duplicates": removed,
            "memos_moved": memos,
            "sub_codes_moved": [child.pk for child in sub_codes],
            "themes_relinked": themes,
        },
    )
    decision = decision_record(
        actor=actor,
        study=code.study,
        kind=DecisionKind.CODE_MERGE,
        meeting=meeting,
        rationale=rationale,
        before={"code": code.pk, "name": code.name, "into": into.pk, "into_name": into.name},
        after={
            "merged_into": into.pk,
            "codings_moved": len(moved),
            "codings_removed_as_duplicates": len(removed),
        },
        code=code,
    )
    _relink_themes(
        actor=actor,
        code=code,
        parts=[into],
        decision=decision,
        change=f"'{code.name}' merged into '{into.name}'",
    )
    return Code.objects.get(pk=into.pk)


def _relink_themes(*, actor, code: Code, parts: list[Code], decision, change: str) -> None:
    """The themes linked to `code` link `parts` instead; each theme gets a revision entry
    (a new version, its audit event and a link decision) naming the codebook decision."""
    for theme in code.themes.select_for_update().order_by("pk"):
        linked = sorted(theme.codes.values_list("pk", flat=True))
        theme.codes.remove(code)
        theme.codes.add(*parts)
        now = sorted(theme.codes.values_list("pk", flat=True))
        theme.version += 1
        theme.save(update_fields=["version"])
        reason = f"{change} (decision {decision.pk})"
        audit_record(
            study=code.study,
            actor=actor,
            action="theme.update",
            target=theme,
            old={"codes": linked},
            new={"codes": now, "decision": decision.pk},
            reason=reason,
        )
        decision_record(
            actor=actor,
            study=code.study,
            kind=DecisionKind.THEME_LINK_CODE,
            meeting=decision.meeting,
            rationale=reason,
            before={"codes": linked},
            after={"codes": now, "decision": decision.pk},
            theme=theme,
        )


def _check_parts(code: Code, parts: list[dict], retire_original: bool) -> list[list[int]]:
    """The coding ids of each part, after checking names and assignments."""
    if len(parts) < 2:
        raise DomainError({"parts": "A split needs at least two parts."})
    live = set(
        Coding.objects.filter(code=code, deleted_at__isnull=True).values_list("pk", flat=True)
    )
    names: set[str] = set()
    assigned: set[int] = set()
    assignments = []
    for number, part in enumerate(parts, start=1):
        name = str(part.get("name") or "").strip()
        if not name:
            raise DomainError({"parts": f"Part {number} needs a name."})
        if name.casefold() in names:
            raise DomainError({"parts": f"Part {number}: two parts are called '{name}'."})
        names.add(name.casefold())
        ids = [int(pk) for pk in part.get("codings") or []]
        foreign = sorted(set(ids) - live)
        if foreign:
            raise DomainError(
                {
                    "parts": f"Part {number} ('{name}'): coding(s) {_id_list(foreign)} "
                    f"are not live codings of '{code.name}'."
                }
            )
        twice = sorted(assigned & set(ids))
        if twice:
            raise DomainError(
                {
                    "parts": f"Part {number} ('{name}'): coding(s) {_id_list(twice)} are in two parts."
                }
            )
        assigned |= set(ids)
        assignments.append(sorted(set(ids)))
    left = sorted(live - assigned)
    if retire_original and left:
        raise DomainError(
            {
                "parts": f"{len(left)} coding(s) of '{code.name}' are in no part "
                f"({_id_list(left)}); assign every coding, or keep the original code."
            }
        )
    return assignments


def _id_list(ids: list[int], shown: int = 10) -> str:
    text = ", ".join(str(pk) for pk in ids[:shown])
    return text + (f" and {len(ids) - shown} more" if len(ids) > shown else "")


@transaction.atomic
def code_split(
    *,
    actor,
    code: Code,
    parts: list[dict],
    retire_original: bool = True,
    version: int | None = None,
    meeting: MeetingRecord | None = None,
    rationale: str = "",
) -> list[Code]:
    """Split a code into new codes beside it, each taking the codings listed for it.

    `parts` is `[{"name": ..., "codings": [ids], "colour"/"definition"/...: ...}, ...]`.
    With `retire_original` (the default) every live coding must go to a part and
    the original is retired; otherwise it stays, with the codings not listed.
    """
    study_access(actor, code.study, Action.CODE)
    codes = _lock_codebook(code.study)
    code = _locked(codes, code, "code")
    if code.retired_at is not None:
        raise DomainError(f"Code '{code.name}' is retired and cannot be split.")
    check_version(code, version)
    assignments = _check_parts(code, parts, retire_original)
    if retire_original:
        if any(c.parent_id == code.pk and c.retired_at is None for c in codes.values()):
            raise DomainError(
                {"parts": f"Code '{code.name}' has active sub-codes; move them first."}
            )
        _retire(code)
    new_codes = []
    for part, ids in zip(parts, assignments, strict=True):
        fields = {k: v for k, v in part.items() if k not in {"name", "codings"}}
        new_code = _new_code(
            actor=actor,
            study=code.study,
            name=part["name"],
            parent=code.parent,
            fields=fields,
            field="parts",
        )
        Coding.objects.filter(pk__in=ids).update(code=new_code)
        new_codes.append(new_code)
    after = {
        "parts": [
            {"code": new_code.pk, "name": new_code.name, "codings": ids}
            for new_code, ids in zip(new_codes, assignments, strict=True)
        ],
        "original_retired": retire_original,
    }
    audit_record(
        study=code.study,
        actor=actor,
        action="code.split",
        target=code,
        old={"name": code.name, "retired_at": None},
        new={**after, "retired_at": code.retired_at},
    )
    decision = decision_record(
        actor=actor,
        study=code.study,
        kind=DecisionKind.CODE_SPLIT,
        meeting=meeting,
        rationale=rationale,
        before={"code": code.pk, "name": code.name},
        after=after,
        code=code,
    )
    if retire_original:
        names = ", ".join(f"'{new_code.name}'" for new_code in new_codes)
        _relink_themes(
            actor=actor,
            code=code,
            parts=new_codes,
            decision=decision,
            change=f"'{code.name}' split into {names}",
        )
    return new_codes
