from django.db import transaction

from dyads.audit import audit_record
from dyads.changes import snapshot, validate
from dyads.exceptions import DomainError
from dyads.models import Study
from dyads.permissions import Action, study_access

from ..models import Code, Coding, Memo


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
    memo = Memo(study=study, author=actor, title=title, text=text, code=code, coding=coding)
    validate(memo)
    memo.save()
    audit_record(
        study=study,
        actor=actor,
        action="memo.create",
        target=memo,
        new=snapshot(memo, fields=["title", "text", "code", "coding"]),
    )
    return memo
