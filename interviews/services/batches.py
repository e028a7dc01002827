"""Bulk import: many files (or a zip of them) at once, matched to interviews by a pattern."""

import zipfile
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone

from dyads.archives import ArchiveRefused, checked_zip
from dyads.audit import audit_record
from dyads.exceptions import DomainError
from dyads.models import Study
from dyads.permissions import Action, role_allows, study_access
from dyads.uploads import UploadRejected, max_upload_bytes

from ..models import ImportBatch, ImportJob
from ..parsers.reader import display_name
from ..selectors import batch_matches, study_pseudonymiser
from .imports import import_job_create, stored_name, upload_store

MAX_FILES = 200
SKIPPED_MEMBERS = ("__MACOSX/",)


def _unzipped(name: str, content: bytes, refused: list[dict]) -> list[tuple[str, bytes]]:
    """The files in a zip (names reduced to their last component, never used as paths),
    once the archive guard has unpacked each within the limits (a file's is the upload's)."""
    try:
        archive = checked_zip(content, name=name, member_bytes=max_upload_bytes())
    except zipfile.BadZipFile:
        refused.append({"file": name, "reason": "is not a complete zip archive."})
        return []
    except ArchiveRefused as error:
        refused.append({"file": name, "reason": error.reason})
        return []
    with archive:
        return [
            (display_name(member.filename), archive.read(member))
            for member in archive.infolist()
            if not member.is_dir()
            and not member.filename.startswith(SKIPPED_MEMBERS)
            and not display_name(member.filename).startswith(".")
        ]


def _reason(error: UploadRejected) -> str:
    """The reason of a refusal without the file name that opens its message."""
    message = str(error.detail.get("file", error))
    return message.split(": ", 1)[-1]


@transaction.atomic
def import_batch_create(*, actor, study: Study, files: list[tuple[str, bytes]]) -> ImportBatch:
    """Keep the files that pass the reader's checks; list the others with their reasons."""
    study_access(actor, study, Action.IMPORT_TRANSCRIPTS)
    refused: list[dict] = []
    expanded = []
    for name, content in files:
        if PurePath(display_name(name)).suffix.lower() == ".zip":
            expanded.extend(_unzipped(display_name(name), content, refused))
        else:
            expanded.append((name, content))
    if not expanded and not refused:
        raise DomainError({"files": "Choose at least one file."})
    if len(expanded) > MAX_FILES:
        raise DomainError({"files": f"At most {MAX_FILES} files at once ({len(expanded)} given)."})
    pseudonymiser = study_pseudonymiser(study=study)
    batch = ImportBatch.objects.create(study=study, created_by=actor)
    stored = 0
    for name, content in expanded:
        try:
            upload_store(
                actor=actor,
                study=study,
                batch=batch,
                file_name=name,
                content=content,
                pseudonymiser=pseudonymiser,
            )
            stored += 1
        except UploadRejected as error:
            refused.append({"file": display_name(name), "reason": _reason(error)})
    batch.refused = [
        {"file": stored_name(pseudonymiser, item["file"]), "reason": item["reason"]}
        for item in refused
    ]
    batch.save(update_fields=["refused"])
    audit_record(
        study=study,
        actor=actor,
        action="import.batch_upload",
        target=batch,
        new={"files": stored, "refused": len(refused)},
    )
    return batch


@transaction.atomic
def import_batch_confirm(*, actor, batch: ImportBatch, pattern: str) -> list[ImportJob]:
    """Match the batch's files to interviews by `pattern` and queue one job per matched file.

    An owner who confirms a batch vouches for its files' names; an interviewer's
    batch is refused, naming the file, if the study holds a file's possible names
    for an owner's review.
    """
    _, role = study_access(actor, batch.study, Action.IMPORT_TRANSCRIPTS)
    owner = role_allows(role, Action.MANAGE_PSEUDONYMS)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.confirmed_at is not None:
        raise DomainError({"pattern": "This batch was already imported."})
    uploads = list(batch.uploads.order_by("pk"))
    matches = batch_matches(batch=batch, pattern=pattern)
    jobs = []
    for upload, match in zip(uploads, matches, strict=True):
        if match.interview is None:
            continue
        upload.interview = match.interview
        upload.save(update_fields=["interview"])
        jobs.append(import_job_create(actor=actor, upload=upload, names_reviewed=owner))
    if not jobs:
        raise DomainError({"pattern": "No file matches an interview with this pattern."})
    batch.pattern = pattern.strip()
    batch.confirmed_at = timezone.now()
    batch.save(update_fields=["pattern", "confirmed_at"])
    audit_record(
        study=batch.study,
        actor=actor,
        action="import.batch_confirm",
        target=batch,
        new={"pattern": batch.pattern, "jobs": [job.pk for job in jobs]},
    )
    return jobs


@transaction.atomic
def import_batch_run(
    *, actor, study: Study, files: list[tuple[str, bytes]], pattern: str
) -> tuple[ImportBatch, list[ImportJob]]:
    """Upload, match and queue in one step (the API's batch import). If no file matches
    an interview, nothing is kept: the DomainError names the pattern."""
    batch = import_batch_create(actor=actor, study=study, files=files)
    return batch, import_batch_confirm(actor=actor, batch=batch, pattern=pattern)
