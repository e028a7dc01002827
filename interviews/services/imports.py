"""Transcript imports: an upload, the job that imports it, and the job's run.

An upload is checked by the reader before anything is written: a bad file
raises UnreadableFile (naming the file and the reason) and leaves the database
as it was. A confirmed upload becomes an ImportJob, enqueued on commit. The
Celery task (made by dyads.jobs.job_task) calls `import_job_run`, which claims
the job with a conditional UPDATE (dyads.jobs.Job.claim), then parses,
pseudonymises and stores the revision, its turns, its audit event and the
job's success in one transaction; a file that cannot be parsed fails the job
with the reason, and the upload (whose bytes hold the real names) is deleted
whichever way the job ends, and by expiry whatever its job's state.
A job still running long after any run could (its worker was lost) no longer
counts as importing the file: dyads.jobs' sweep fails it, and so does a new
import of the same file, which then starts a new attempt.
"""

import datetime as dt
import hashlib
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from dyads.audit import audit_record
from dyads.exceptions import DomainError, NotFound
from dyads.jobs import job_send, stalled_error
from dyads.permissions import Action, study_access

from ..models import (
    ACTIVE_IMPORT_STATES,
    ImportBatch,
    ImportJob,
    ImportState,
    ImportUpload,
    Interview,
    TranscriptRevision,
)
from ..parsers import UnreadableFile, read_source
from ..parsers.reader import display_name
from ..pipeline import Progress, prepare, pseudonymised_roles
from ..pseudonymise import Pseudonymiser
from ..roles import ROLE_VALUES
from ..selectors import file_preview, study_pseudonymiser
from .transcripts import transcript_revision_create

logger = logging.getLogger(__name__)

# A stage's progress is written at most this often (seconds): the job page polls every
# 0.7 s, and most files are imported before a bar between 5 and 100 could be seen.
PROGRESS_EVERY = 0.5


def error_message(error: DomainError) -> str:
    """A domain error's message without its field names: what a person reads."""
    return " ".join(str(message) for message in error.detail.values())


def checksum_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def stored_name(pseudonymiser: Pseudonymiser, file_name: str) -> str:
    """The name kept in the database: the last path component, pseudonymised."""
    return pseudonymiser.replace(display_name(file_name))[:255]


def upload_store(
    *,
    actor,
    study,
    file_name: str,
    content: bytes,
    pseudonymiser: Pseudonymiser,
    interview: Interview | None = None,
    batch: ImportBatch | None = None,
) -> ImportUpload:
    """Check the file with the reader and keep its bytes; the caller checked the role."""
    source = read_source(file_name, content)
    return ImportUpload.objects.create(
        study=study,
        interview=interview,
        batch=batch,
        file_name=stored_name(pseudonymiser, source.name),
        source_format=source.format,
        checksum=checksum_of(content),
        size=len(content),
        content=content,
        created_by=actor,
    )


def _facts(upload: ImportUpload) -> dict:
    """What the audit log keeps of an upload (its name is pseudonymised already)."""
    return {
        "interview": upload.interview_id,
        "file_name": upload.file_name,
        "checksum": upload.checksum,
        "size": upload.size,
    }


def _live_interview(interview: Interview) -> Interview:
    if interview.deleted_at is not None or interview.participant.deleted_at is not None:
        raise NotFound("No such interview in this study.")
    return interview


@transaction.atomic
def import_upload_create(
    *, actor, interview: Interview, file_name: str, content: bytes
) -> ImportUpload:
    """Keep an uploaded transcript for its preview, after the reader's checks."""
    study_access(actor, interview.study, Action.IMPORT_TRANSCRIPTS)
    _live_interview(interview)
    upload = upload_store(
        actor=actor,
        study=interview.study,
        interview=interview,
        file_name=file_name,
        content=content,
        pseudonymiser=study_pseudonymiser(study=interview.study),
    )
    audit_record(
        study=interview.study,
        actor=actor,
        action="import.upload",
        target=upload,
        new=_facts(upload),
    )
    return upload


@transaction.atomic
def import_upload_discard(*, actor, upload: ImportUpload) -> None:
    """Throw away an upload that was not imported (its bytes with it)."""
    study_access(actor, upload.study, Action.IMPORT_TRANSCRIPTS)
    upload = ImportUpload.objects.select_for_update().get(pk=upload.pk)
    if ImportJob.objects.filter(upload=upload).exists():
        raise DomainError({"file": f"{upload.file_name} is already being imported."})
    audit_record(
        study=upload.study,
        actor=actor,
        action="import.discard",
        target=upload,
        old={"file_name": upload.file_name, "checksum": upload.checksum},
    )
    upload.delete()


@transaction.atomic
def import_upload_names_review(*, actor, upload: ImportUpload) -> ImportUpload:
    """An owner has read the possible names of an upload's preview: it may be imported."""
    study_access(actor, upload.study, Action.MANAGE_PSEUDONYMS)
    upload = ImportUpload.objects.select_for_update().get(pk=upload.pk)
    if ImportJob.objects.filter(upload=upload).exists():
        raise DomainError({"file": f"{upload.file_name} is already being imported."})
    if upload.names_reviewed_at is None:
        upload.names_reviewed_by = actor
        upload.names_reviewed_at = timezone.now()
        upload.save(update_fields=["names_reviewed_by", "names_reviewed_at"])
        audit_record(
            study=upload.study,
            actor=actor,
            action="import.names_review",
            target=upload,
            new={"file_name": upload.file_name, "checksum": upload.checksum},
        )
    return upload


def _hold_unreviewed_names(
    actor, interview: Interview, file_name: str, content: bytes, reviewed: bool
) -> None:
    """Refuse an import that the study holds until an owner has reviewed its possible names.

    `reviewed`: an owner reviewed the upload, or the owner importing vouches for the file.
    """
    study = interview.study
    if reviewed:
        study_access(actor, study, Action.MANAGE_PSEUDONYMS)
        return
    if not study.require_name_review:
        return
    try:
        names = file_preview(study=study, file_name=file_name, content=content).names_to_review
    except UnreadableFile:
        return  # nothing of it will be stored: its job fails, naming the reason
    if names:
        shown = ", ".join(finding.word for finding in names[:5])
        more = f" and {len(names) - 5} more" if len(names) > 5 else ""
        raise DomainError(
            {
                "names": f"{file_name} has {len(names)} possible name(s) not on the study's "
                f"list ({shown}{more}). An owner must review them on the import preview "
                "before the file is imported."
            }
        )


def _check_roles(roles: dict[str, str]) -> None:
    for label, role in roles.items():
        if role not in ROLE_VALUES:
            raise DomainError(
                {
                    "speaker_roles": f"Speaker '{label}': '{role}' is not a role "
                    f"(choose one of {', '.join(sorted(ROLE_VALUES))})."
                }
            )


@transaction.atomic
def import_job_create(
    *,
    actor,
    upload: ImportUpload,
    speaker_roles: dict[str, str] | None = None,
    enqueue: bool = True,
    names_reviewed: bool = False,
) -> ImportJob:
    """Queue the import of a previewed upload; `speaker_roles` are keyed by the stored labels.

    Idempotent: a confirmed upload answers its job, and a file already being
    imported into the interview answers that job (this upload is dropped). If
    the study holds imports for review, an upload with possible names is
    refused until an owner has reviewed them (`import_upload_names_review`), or
    unless the owner importing it vouches for them (`names_reviewed`).
    """
    study_access(actor, upload.study, Action.IMPORT_TRANSCRIPTS)
    upload = (
        ImportUpload.objects.select_for_update(of=("self",))
        .select_related("interview")
        .get(pk=upload.pk)
    )
    existing = ImportJob.objects.filter(upload=upload).first()
    if existing is not None:
        return existing
    if upload.interview is None:
        raise DomainError({"interview": f"{upload.file_name} is not matched to an interview."})
    roles = dict(speaker_roles or {})
    _check_roles(roles)
    interview = _live_interview(upload.interview)
    if upload.names_reviewed_at is None:
        _hold_unreviewed_names(
            actor, interview, upload.file_name, bytes(upload.content), names_reviewed
        )
    return _queue(actor, upload, interview, roles, enqueue)


def _queue(
    actor, upload: ImportUpload, interview: Interview, roles: dict[str, str], enqueue: bool
) -> ImportJob:
    """The job for an upload, unless the same file is being imported into the interview."""
    active = ImportJob.objects.filter(
        interview=interview, checksum=upload.checksum, state__in=ACTIVE_IMPORT_STATES
    ).first()
    if active is not None and active.stalled:
        import_job_fail(job_id=active.pk, error=stalled_error())
        active = None
    if active is not None:
        upload.delete()
        return active
    job = ImportJob.objects.create(
        study=upload.study,
        interview=interview,
        upload=upload,
        batch=upload.batch,
        file_name=upload.file_name,
        checksum=upload.checksum,
        speaker_roles=roles,
        created_by=actor,
    )
    audit_record(
        study=upload.study,
        actor=actor,
        action="import.queue",
        target=job,
        new={**_facts(upload), "speaker_roles": roles},
    )
    if enqueue:
        from ..tasks import import_job_process  # the task module imports this one

        job_send(import_job_process, job)
    return job


@transaction.atomic
def transcript_import(
    *,
    actor,
    interview: Interview,
    file_name: str,
    content: bytes,
    speaker_roles: dict[str, str] | None = None,
    enqueue: bool = True,
    names_reviewed: bool = False,
) -> ImportJob:
    """Upload and queue in one step (the API and the command): no preview.

    `speaker_roles` are keyed by the labels as they appear in the file. A study
    that holds imports for review refuses a file with possible names unless the
    owner importing it vouches for them (`names_reviewed`).
    """
    study_access(actor, interview.study, Action.IMPORT_TRANSCRIPTS)
    _live_interview(interview)
    _hold_unreviewed_names(actor, interview, file_name, content, names_reviewed)
    pseudonymiser = study_pseudonymiser(study=interview.study)
    roles = pseudonymised_roles(pseudonymiser, speaker_roles or {})
    _check_roles(roles)
    upload = upload_store(
        actor=actor,
        study=interview.study,
        interview=interview,
        file_name=file_name,
        content=content,
        pseudonymiser=pseudonymiser,
    )
    return _queue(actor, upload, interview, roles, enqueue)


# The job's run, called by the Celery task ------------------------------------------------


def _progress(job_id: int) -> Progress:
    """Writes a stage's percentage unless the last write was under PROGRESS_EVERY ago."""
    return ImportJob.progress_writer(job_id, every=PROGRESS_EVERY)


def import_job_run(*, job_id: int, task_id: str | None = None) -> ImportJob | None:
    """Run a queued job; None if another run has it or it is done.

    A file that cannot be read fails the job with the reason (no retry); so do
    a role taken away since the upload and any other refusal of the services.
    Database errors propagate to the task, which retries them.
    """
    if not ImportJob.claim(job_id, task_id):
        return None
    job = ImportJob.objects.select_related("study", "interview", "upload", "created_by").get(
        pk=job_id
    )
    job.interview.study = job.study
    progress = _progress(job.pk)
    try:
        prepared = prepare(
            name=job.file_name,
            content=bytes(job.upload.content),
            pseudonymiser=study_pseudonymiser(study=job.study),
            speaker_roles=job.speaker_roles,
            progress=progress,
        )
        return _store(job, prepared)
    except DomainError as error:
        return import_job_fail(job_id=job.pk, error=error_message(error))


def _store(job: ImportJob, prepared) -> ImportJob:
    try:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.state != ImportState.RUNNING:
                return locked
            revision = TranscriptRevision.objects.filter(
                transcript__interview=job.interview_id, checksum=job.checksum
            ).first()
            locked.already_imported = revision is not None
            if revision is None:
                revision = transcript_revision_create(
                    actor=job.created_by,
                    interview=job.interview,
                    text=prepared.text,
                    turns=prepared.turns,
                    checksum=job.checksum,
                    source_name=job.file_name,
                    source_format=prepared.format,
                    original_text=prepared.original_text,
                )
            locked.finish(ImportState.SUCCEEDED, revision=revision, report=prepared.report())
            _drop_upload(locked)
            return locked
    except IntegrityError:
        # Another run stored the same file in the meantime: the import is a duplicate.
        if not TranscriptRevision.objects.filter(
            transcript__interview=job.interview_id, checksum=job.checksum
        ).exists():
            raise
        return _store(job, prepared)


def _drop_upload(job: ImportJob) -> None:
    """At the end of a job, whichever way it ended: its upload's bytes hold the real names."""
    upload_id = job.upload_id
    if upload_id:
        ImportJob.objects.filter(pk=job.pk).update(upload=None)
        job.upload = None
        ImportUpload.objects.filter(pk=upload_id).delete()


@transaction.atomic
def import_job_fail(*, job_id: int, error: str) -> ImportJob:
    """Mark a job failed with its reason (a job already finished is left as it is)."""
    job = ImportJob.objects.select_for_update(of=("self",)).select_related("study").get(pk=job_id)
    if not job.fail(error):
        return job
    _drop_upload(job)
    audit_record(
        study=job.study,
        actor=None,
        action="import.fail",
        target=job,
        new={"file_name": job.file_name, "error": error},
    )
    return job


EXPIRED = "The upload expired before it was imported; upload the file again."


@transaction.atomic
def import_uploads_expire(*, older_than: dt.timedelta) -> int:
    """Delete the uploads older than `older_than`, whatever their job's state (a job
    still waiting for one is failed); the number deleted."""
    stale = list(
        ImportUpload.objects.filter(created_at__lt=timezone.now() - older_than).values_list(
            "pk", flat=True
        )
    )
    for job_id in ImportJob.objects.filter(upload__in=stale).values_list("pk", flat=True):
        import_job_fail(job_id=job_id, error=EXPIRED)  # deletes its upload
    ImportJob.objects.filter(upload__in=stale).update(upload=None)
    ImportUpload.objects.filter(pk__in=stale).delete()
    return len(stale)
