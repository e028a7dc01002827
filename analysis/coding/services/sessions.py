from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from analysis.coding.models import (
    Coding,
    CodingSession,
    SessionProgress,
    SessionSnapshot,
    SessionState,
)
from dyads.audit import audit_record
from dyads.changes import validate
from dyads.exceptions import DomainError
from dyads.models import Role, Study, StudyMembership
from dyads.permissions import Action, study_access
from interviews.models import Transcript


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
    snapshots = _take_snapshot(session)
    audit_record(
        study=session.study,
        actor=actor,
        action="session.close",
        target=session,
        old={"state": SessionState.OPEN},
        new={
            "state": SessionState.CLOSED,
            "revisions": {str(s.transcript_id): s.revision_id for s in snapshots},
            "codings": sum(len(s.codings) for s in snapshots),
        },
    )
    return session


def _take_snapshot(session: CodingSession) -> list[SessionSnapshot]:
    """Pin each transcript's current revision and the session's live codings on it (3 queries)."""
    revisions = dict(session.transcripts.values_list("pk", "current_revision"))
    codings = {transcript: [] for transcript in revisions}
    for transcript, *row in (
        Coding.objects.filter(
            session=session,
            deleted_at__isnull=True,
            revision__in=[r for r in revisions.values() if r is not None],
        )
        .order_by("pk")
        .values_list("revision__transcript", "pk", "code", "coder", "start", "end")
    ):
        codings[transcript].append(row)
    return SessionSnapshot.objects.bulk_create(
        SessionSnapshot(
            session=session,
            transcript_id=transcript,
            revision_id=revision,
            codings=codings[transcript],
            taken_at=session.closed_at,
        )
        for transcript, revision in revisions.items()
    )


@transaction.atomic
def coding_session_reopen(*, actor, session: CodingSession) -> CodingSession:
    """Open a closed session again: its coders may change their codings, and the
    figures recorded at its close are discarded (closing again records them anew)."""
    study_access(actor, session.study, Action.MANAGE_STUDY)
    session = CodingSession.objects.select_for_update().get(pk=session.pk)
    if session.state != SessionState.CLOSED:
        raise DomainError(f"Session '{session.name}' is open.")
    if hasattr(session, "calibration_attempt"):
        raise DomainError(f"Session '{session.name}' is a calibration attempt; it stays closed.")
    SessionSnapshot.objects.filter(session=session).delete()
    closed_at = session.closed_at
    session.state = SessionState.OPEN
    session.closed_at = None
    session.save(update_fields=["state", "closed_at"])
    audit_record(
        study=session.study,
        actor=actor,
        action="session.reopen",
        target=session,
        old={"state": SessionState.CLOSED, "closed_at": closed_at},
        new={"state": SessionState.OPEN},
    )
    return session


def session_check_coder(
    session: CodingSession, actor, transcript_id: int, *, field: str = "session"
) -> None:
    """Refuse unless the session is open, the actor codes in it and the transcript is in it."""
    if session.state != SessionState.OPEN:
        raise DomainError({"session": f"Session '{session.name}' is closed."})
    if not session.coders.filter(pk=actor.pk).exists():
        raise DomainError({"session": f"You are not a coder in session '{session.name}'."})
    if not session.transcripts.filter(pk=transcript_id).exists():
        raise DomainError({field: f"This transcript is not part of session '{session.name}'."})


def _progress_for(*, actor, session: CodingSession, transcript: Transcript) -> SessionProgress:
    """The actor's progress row on a transcript of an open session they code in, locked."""
    study_access(actor, session.study, Action.CODE)
    session = CodingSession.objects.select_for_update().get(pk=session.pk)
    session_check_coder(session, actor, transcript.pk, field="transcript")
    progress, _ = SessionProgress.objects.select_for_update().get_or_create(
        session=session, transcript=transcript, coder=actor
    )
    return progress


def _record_progress(*, actor, progress: SessionProgress, action: str) -> None:
    audit_record(
        study=progress.session.study,
        actor=actor,
        action=action,
        target=progress,
        new={
            "session": progress.session_id,
            "transcript": progress.transcript_id,
            "done_at": progress.done_at,
        },
    )


@transaction.atomic
def session_progress_mark_done(
    *, actor, session: CodingSession, transcript: Transcript
) -> SessionProgress:
    """The actor has finished coding this transcript of the session."""
    progress = _progress_for(actor=actor, session=session, transcript=transcript)
    if progress.done_at is not None:
        raise DomainError({"transcript": "You have already marked this transcript done."})
    progress.done_at = timezone.now()
    progress.save(update_fields=["done_at"])
    _record_progress(actor=actor, progress=progress, action="session.transcript_done")
    return progress


@transaction.atomic
def session_progress_reopen(
    *, actor, session: CodingSession, transcript: Transcript
) -> SessionProgress:
    """Take back a done mark, to go on coding the transcript."""
    progress = _progress_for(actor=actor, session=session, transcript=transcript)
    if progress.done_at is None:
        raise DomainError({"transcript": "This transcript is not marked done."})
    progress.done_at = None
    progress.save(update_fields=["done_at"])
    _record_progress(actor=actor, progress=progress, action="session.transcript_reopen")
    return progress
