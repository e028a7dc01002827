"""Audit comments: an auditor's remarks on objects of a study, themselves audited.

A comment names its object the way an audit event does (`object_type` as the
model's label, `object_id`); only the kinds the apps registered
(dyads.registry.register_commentable) can be commented on, and the object must
belong to the study. Comments are never edited or removed.
"""

from django.apps import apps
from django.db import transaction

from .audit import audit_record
from .changes import validate
from .exceptions import DomainError
from .models import AuditComment, Study
from .permissions import Action, study_access
from .registry import commentable


@transaction.atomic
def audit_comment_create(
    *, actor, study: Study, object_type: str, object_id: str | int, text: str
) -> AuditComment:
    """Comment on one object of the study, of a registered kind (an audit event, say)."""
    study_access(actor, study, Action.AUDIT_COMMENT)
    study_paths = commentable()
    if object_type not in study_paths:
        kinds = ", ".join(sorted(study_paths))
        raise DomainError({"object_type": f"'{object_type}' cannot be commented on ({kinds})."})
    model = apps.get_model(object_type)
    found = str(object_id).isdigit() and (
        model._default_manager.filter(
            pk=int(object_id), **{study_paths[object_type]: study}
        ).exists()
    )
    if not found:
        raise DomainError({"object_id": f"No {object_type} with id {object_id} in this study."})
    comment = AuditComment(
        study=study,
        author=actor,
        object_type=object_type,
        object_id=str(object_id),
        text=text.strip(),
    )
    validate(comment)
    comment.save()
    audit_record(
        study=study,
        actor=actor,
        action="audit_comment.create",
        target=comment,
        new={"object_type": object_type, "object_id": str(object_id), "text": comment.text},
    )
    return comment
