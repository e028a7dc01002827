"""Audit comments: an auditor's remarks on objects of a study, themselves audited.

A comment names its object the way an audit event does (`object_type` as the
model's label, `object_id`); only the kinds below can be commented on, and the
object must belong to the study. Comments are never edited or removed.
"""

from django.apps import apps
from django.db import transaction

from .audit import audit_record
from .changes import validate
from .exceptions import DomainError
from .models import AuditComment, Study
from .permissions import Action, study_access

# What can be commented on, and the path from it to its study.
COMMENTABLE = {
    "dyads.auditevent": "study",
    "analysis.code": "study",
    "analysis.coding": "study",
    "analysis.decision": "study",
    "analysis.meetingrecord": "study",
    "analysis.theme": "study",
    "analysis.auditround": "study",
    "analysis.auditfinding": "round__study",
}


@transaction.atomic
def audit_comment_create(
    *, actor, study: Study, object_type: str, object_id: str | int, text: str
) -> AuditComment:
    """Comment on one object of the study: an event, code, coding, decision, meeting…"""
    study_access(actor, study, Action.AUDIT_COMMENT)
    if object_type not in COMMENTABLE:
        kinds = ", ".join(sorted(COMMENTABLE))
        raise DomainError({"object_type": f"'{object_type}' cannot be commented on ({kinds})."})
    model = apps.get_model(object_type)
    found = str(object_id).isdigit() and (
        model._default_manager.filter(
            pk=int(object_id), **{COMMENTABLE[object_type]: study}
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
