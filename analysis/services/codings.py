from django.db import transaction
from django.utils import timezone

from dyads.audit import audit_record
from dyads.exceptions import DomainError, Forbidden, NotFound
from dyads.models import Role
from dyads.permissions import Action, study_access
from interviews.models import TranscriptRevision

from ..models import Code, Coding, CodingSession, SessionState


def _check_session(session: CodingSession, actor, revision: TranscriptRevision) -> None:
    if session.state != SessionState.OPEN:
        raise DomainError({"session": f"Session '{session.name}' is closed."})
    if not session.coders.filter(pk=actor.pk).exists():
        raise DomainError({"session": f"You are not a coder in session '{session.name}'."})
    if not session.transcripts.filter(pk=revision.transcript_id).exists():
        raise DomainError({"session": f"This transcript is not part of session '{session.name}'."})


@transaction.atomic
def coding_create(
    *,
    actor,
    revision: TranscriptRevision,
    start: int,
    end: int,
    code: Code,
    session: CodingSession | None = None,
) -> Coding:
    """Apply a code to [start, end) of a revision's text, offsets in code points."""
    study = revision.transcript.interview.study
    study_access(actor, study, Action.CODE)
    errors = {}
    if code.study_id != study.pk or code.retired_at is not None:
        errors["code"] = "The code is not an active code of this study."
    length = len(revision.text)
    if not 0 <= start < end <= length:
        errors["start"] = (
            f"The span {start}-{end} must lie within the text (0-{length}) and not be empty."
        )
    if errors:
        raise DomainError(errors)
    if session is not None:
        if session.study_id != study.pk:
            raise DomainError({"session": "The session belongs to another study."})
        _check_session(session, actor, revision)
    coding = Coding.objects.create(
        study=study,
        revision=revision,
        start=start,
        end=end,
        code=code,
        coder=actor,
        session=session,
    )
    audit_record(
        study=study,
        actor=actor,
        action="coding.create",
        target=coding,
        new={
            "revision": revision.pk,
            "start": start,
            "end": end,
            "code": code.pk,
            "session": session.pk if session else None,
        },
    )
    return coding


@transaction.atomic
def coding_delete(*, actor, coding: Coding) -> None:
    """Soft-delete a coding; coders remove their own, owners anyone's."""
    _, role = study_access(actor, coding.study, Action.CODE)
    coding = Coding.objects.select_for_update().get(pk=coding.pk)
    if coding.deleted_at is not None:
        raise NotFound("This coding has already been removed.")
    if coding.coder_id != actor.pk and role != Role.OWNER:
        raise Forbidden("Only the coder or a study owner may remove a coding.")
    coding.deleted_at = timezone.now()
    coding.save(update_fields=["deleted_at"])
    audit_record(
        study=coding.study,
        actor=actor,
        action="coding.delete",
        target=coding,
        old={
            "revision": coding.revision_id,
            "start": coding.start,
            "end": coding.end,
            "code": coding.code_id,
            "coder": coding.coder_id,
        },
    )
