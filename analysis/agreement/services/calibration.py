"""Coder calibration: an owner marks a coded transcript as the reference, a new
coder codes it blind in a session of their own, submits, and is compared."""

from django.db import transaction
from django.utils import timezone

from analysis.agreement.models import CalibrationAttempt, CalibrationReference
from analysis.agreement.selectors.consensus import consensus_of
from analysis.agreement.selectors.disagreements import PassageState, session_passages
from analysis.coding.models import Coding, CodingSession, SessionMode, SessionState
from analysis.coding.services.sessions import coding_session_create
from dyads.audit import audit_record
from dyads.changes import validate
from dyads.exceptions import DomainError, Forbidden
from dyads.models import Role, Study, StudyMembership
from dyads.permissions import Action, study_access
from interviews.models import Transcript


def _reference_spans(session: CodingSession, transcript: Transcript, coder) -> list[list[int]]:
    revision = transcript.current_revision_id
    if coder is not None:
        spans = list(
            Coding.objects.filter(
                session=session, revision=revision, coder=coder, deleted_at__isnull=True
            )
            .order_by("start", "end", "code")
            .values_list("code", "start", "end")
        )
        if not spans:
            raise DomainError(
                {"coder": f"{coder.username} made no coding in this transcript in this session."}
            )
        return [list(span) for span in spans]
    found = session_passages(session=session, transcript=transcript.pk)
    open_ones = [v for v in found.passages if v.state == PassageState.UNRESOLVED]
    if open_ones:
        raise DomainError(
            {
                "coder": f"{len(open_ones)} disagreement(s) in this transcript are unresolved: "
                "settle them first, or take one coder's codings as the reference."
            }
        )
    spans = [[span.code, span.start, span.end] for span in consensus_of(found.passages)]
    if not spans:
        raise DomainError({"transcript": "The session's consensus has no coding here."})
    return spans


@transaction.atomic
def calibration_reference_create(
    *,
    actor,
    study: Study,
    name: str,
    session: CodingSession,
    transcript: Transcript,
    coder=None,
) -> CalibrationReference:
    """Freeze a coder's codings of a transcript in a closed session (or, without a
    coder, the session's consensus) as a reference for training new coders."""
    study_access(actor, study, Action.MANAGE_STUDY)
    if session.study_id != study.pk:
        raise DomainError({"session": "The session belongs to another study."})
    if session.state != SessionState.CLOSED or hasattr(session, "calibration_attempt"):
        raise DomainError(
            {"session": f"Take a reference from a closed coding session; '{session.name}' is not."}
        )
    if not session.transcripts.filter(pk=transcript.pk).exists():
        raise DomainError({"transcript": f"This transcript is not part of '{session.name}'."})
    if coder is not None and not session.coders.filter(pk=coder.pk).exists():
        raise DomainError({"coder": f"{coder.username} is not a coder of '{session.name}'."})
    reference = CalibrationReference(
        study=study,
        name=(name or "").strip(),
        revision_id=transcript.current_revision_id,
        session=session,
        coder=coder,
        spans=_reference_spans(session, transcript, coder),
        created_by=actor,
    )
    validate(reference)
    reference.save()
    audit_record(
        study=study,
        actor=actor,
        action="calibration.reference_create",
        target=reference,
        new={
            "name": reference.name,
            "revision": reference.revision_id,
            "session": session.pk,
            "coder": coder.pk if coder else None,
            "spans": reference.spans,
        },
    )
    return reference


def _check_trainee(reference: CalibrationReference, trainee) -> None:
    able = StudyMembership.objects.filter(
        study=reference.study,
        user=trainee,
        role__in=[Role.OWNER, Role.ANALYST],
        removed_at__isnull=True,
    ).exists()
    if not able:
        raise DomainError({"trainee": f"{trainee.username} is not an analyst of this study."})
    seen = (
        reference.coder_id == trainee.pk
        or Coding.objects.filter(
            session=reference.session, revision=reference.revision, coder=trainee
        ).exists()
    )
    if seen:
        raise DomainError(
            {
                "trainee": f"{trainee.username} coded this transcript in '{reference.session}', "
                "the reference's session: they cannot take it blind."
            }
        )
    if CalibrationAttempt.objects.filter(
        reference=reference, trainee=trainee, submitted_at__isnull=True
    ).exists():
        raise DomainError(
            {"trainee": f"{trainee.username} already has an unfinished attempt at this reference."}
        )


@transaction.atomic
def calibration_attempt_start(
    *, actor, reference: CalibrationReference, trainee
) -> CalibrationAttempt:
    """Give a trainee a blind copy of the reference transcript: a session of their own."""
    study_access(actor, reference.study, Action.MANAGE_STUDY)
    reference = CalibrationReference.objects.select_for_update().get(pk=reference.pk)
    if reference.retired_at is not None:
        raise DomainError({"reference": f"The reference '{reference.name}' is retired."})
    transcript = reference.revision.transcript
    if transcript.current_revision_id != reference.revision_id:
        raise DomainError(
            {
                "reference": f"The transcript has been corrected since '{reference.name}' was "
                "marked; mark a new reference on its current text."
            }
        )
    _check_trainee(reference, trainee)
    number = CalibrationAttempt.objects.filter(reference=reference).count() + 1
    session = coding_session_create(
        actor=actor,
        study=reference.study,
        name=f"Calibration {reference.pk}.{number}: {reference.name} ({trainee.username})"[:120],
        mode=SessionMode.BLIND,
        coders=[trainee],
        transcripts=[transcript],
    )
    attempt = CalibrationAttempt.objects.create(
        study=reference.study,
        reference=reference,
        trainee=trainee,
        session=session,
        created_by=actor,
    )
    audit_record(
        study=reference.study,
        actor=actor,
        action="calibration.attempt_start",
        target=attempt,
        new={"reference": reference.pk, "trainee": trainee.pk, "session": session.pk},
    )
    return attempt


@transaction.atomic
def calibration_attempt_submit(*, actor, attempt: CalibrationAttempt) -> CalibrationAttempt:
    """The trainee (or an owner) ends the attempt: its session closes, the result shows."""
    _, role = study_access(actor, attempt.study, Action.CODE)
    if attempt.trainee_id != actor.pk and role != Role.OWNER:
        raise Forbidden("Only the trainee or a study owner may submit this attempt.")
    attempt = CalibrationAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.submitted_at is not None:
        raise DomainError({"detail": "This attempt has already been submitted."})
    now = timezone.now()
    attempt.submitted_at = now
    attempt.save(update_fields=["submitted_at"])
    CodingSession.objects.filter(pk=attempt.session_id).update(
        state=SessionState.CLOSED, closed_at=now
    )
    audit_record(
        study=attempt.study,
        actor=actor,
        action="calibration.attempt_submit",
        target=attempt,
        old={"session_state": SessionState.OPEN},
        new={"session": attempt.session_id, "session_state": SessionState.CLOSED},
    )
    return attempt
