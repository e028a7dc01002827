"""Memos: notes on the study, a code or a coding. Versioned; removal is soft."""

from django.db import transaction

from analysis.coding.models import Code, Coding, Memo
from dyads.audit import audit_record
from dyads.changes import apply_changes, check_version, mark_removed, snapshot, validate
from dyads.exceptions import DomainError, Forbidden, NotFound
from dyads.models import Role, Study
from dyads.permissions import Action, study_access
from dyads.text import clean_rich_text

MEMO_FIELDS = ["title", "text", "code", "coding"]


@transaction.atomic
def memo_create(
    *,
    actor,
    study: Study,
    text: str,
    title: str = "",
    code: Code | None = None,
    coding: Coding | None = None,
) -> Memo:
    study_access(actor, study, Action.CODE)
    for target in (code, coding):
        if target is not None and target.study_id != study.pk:
            raise DomainError("The memo's subject belongs to another study.")
    memo = Memo(
        study=study, author=actor, title=title, text=clean_rich_text(text), code=code, coding=coding
    )
    validate(memo)
    memo.save()
    audit_record(
        study=study,
        actor=actor,
        action="memo.create",
        target=memo,
        new=snapshot(memo, fields=MEMO_FIELDS),
    )
    return memo


def _lock_own_memo(actor, memo: Memo) -> Memo:
    """The memo's current row, locked; only its author or a study owner may change it."""
    _, role = study_access(actor, memo.study, Action.CODE)
    memo = Memo.objects.select_for_update().get(pk=memo.pk)
    if memo.deleted_at is not None:
        raise NotFound("This memo has been removed.")
    if memo.author_id != actor.pk and role != Role.OWNER:
        raise Forbidden("Only the memo's author or a study owner may change it.")
    return memo


@transaction.atomic
def memo_update(*, actor, memo: Memo, version: int | None = None, **changes) -> Memo:
    """Edit a memo's title or text; a stale version answers Conflict with the memo as it is."""
    memo = _lock_own_memo(actor, memo)
    if "text" in changes:
        changes["text"] = clean_rich_text(changes["text"])
    old, new = apply_changes(memo, changes, allowed={"title", "text"}, version=version)
    if new:
        audit_record(
            study=memo.study, actor=actor, action="memo.update", target=memo, old=old, new=new
        )
    return memo


@transaction.atomic
def memo_delete(*, actor, memo: Memo, version: int | None = None) -> None:
    """Remove a memo (soft): it stays in the database and in the audit trail."""
    memo = _lock_own_memo(actor, memo)
    check_version(memo, version)
    mark_removed(memo, "deleted_at")
    audit_record(
        study=memo.study,
        actor=actor,
        action="memo.delete",
        target=memo,
        old=snapshot(memo, fields=MEMO_FIELDS),
    )
