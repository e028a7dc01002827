from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from dyads.audit import audit_record
from dyads.changes import validate
from dyads.exceptions import DomainError
from dyads.models import Role, Study, StudyMembership
from dyads.permissions import Action, study_access
from interviews.models import Transcript

from ..models import CodingSession, SessionState


@transaction.atomic
def coding_session_create(
    *, actor, study: Study, name: str, mode: str, coders: list, transcripts: list[Transcript]
) -> CodingSession:
    """A session in which the given coders code the given transcripts, blind or open."""
    study_access(actor, study, Action.MANAGE_STUDY)
    coder_ids = {user.pk for user in coders}
    able = set(
        StudyMembership.objects.filter(
            study=study,
            user_id__in=coder_ids,
            role__in=[Role.OWNER, Role.ANALYST],
            removed_at__isnull=True,
        ).values_list("user_id", flat=True)
    )
    errors = {}
    if not coder_ids:
        errors["coders"] = "A session needs at least one coder."
    elif coder_ids - able:
        names = (
            get_user_model()
            .objects.filter(pk__in=coder_ids - able)
            .values_list("username", flat=True)
        )
        errors["coders"] = f"Not an analyst or owner of this study: {', '.join(sorted(names))}."
    if not transcripts:
        errors["transcripts"] = "A session needs at least one transcript."
    elif any(t.interview.study_id != study.pk for t in transcripts):
        errors["transcripts"] = "Every transcript must belong to this study."
    if errors:
        raise DomainError(errors)
    session = CodingSession(study=study, name=name, mode=mode, created_by=actor)
    validate(session)
    session.save()
    session.coders.set(coder_ids)
    session.transcripts.set(transcripts)
    audit_record(
        study=study,
        actor=actor,
        action="session.create",
        target=session,
        new={
            "name": name,
            "mode": mode,
            "coders": sorted(coder_ids),
            "transcripts": sorted(t.pk for t in transcripts),
        },
    )
    return session


@transaction.atomic
def coding_session_close(*, actor, session: CodingSession) -> CodingSession:
    study_access(actor, session.study, Action.MANAGE_STUDY)
    session = CodingSession.objects.select_for_update().get(pk=session.pk)
    if session.state == SessionState.CLOSED:
        raise DomainError(f"Session '{session.name}' is already closed.")
    session.state = SessionState.CLOSED
    session.closed_at = timezone.now()
    session.save(update_fields=["state", "closed_at"])
    audit_record(
        study=session.study,
        actor=actor,
        action="session.close",
        target=session,
        old={"state": SessionState.OPEN},
        new={"state": SessionState.CLOSED},
    )
    return session
