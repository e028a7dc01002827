"""The access log: every read of a transcript and every export, who, what and when.

Call `access_log_record` on each read path of sensitive data (the transcript
API, the interview page, the coding page, every export). It writes one row and
never raises for a missing request: exports run in Celery tasks have none.
"""

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from .audit import current_request_id
from .models import AccessAction, AccessEvent, Study
from .network import client_ip
from .selectors import filter_by_user


def access_log_record(
    *,
    user,
    study: Study | int,
    action: AccessAction,
    target: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    detail: str = "",
    request: HttpRequest | None = None,
) -> AccessEvent:
    """Record that `user` did `action` on `target` (or object_type/object_id) of `study`.

    `study` may be a Study or its id, so a caller that has the object need not load it.
    """
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or target.pk
    return AccessEvent.objects.create(
        study_id=study.pk if isinstance(study, Study) else study,
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail[:200],
        request_id=current_request_id.get(),
        ip_address=client_ip(request) if request is not None else None,
    )


def access_events(
    *, study: Study, user: str = "", action: str = "", object_type: str = ""
) -> QuerySet[AccessEvent]:
    """The study's access log, newest first, optionally narrowed; one query per page."""
    events = filter_by_user(
        AccessEvent.objects.filter(study=study).select_related("user"), "user", user
    )
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    return events.order_by("-created_at", "-id")
