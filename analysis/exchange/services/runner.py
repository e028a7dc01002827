"""Running an exchange job: claim the row, export or preview or import, record the outcome.

The Celery task (made by dyads.jobs.job_task, like every job's) calls
`run_job(job_id, task_id)`. The job is claimed with a conditional update
(dyads.jobs.Job.claim: queued -> running, or running under the same task id),
so a duplicated task does nothing twice. A file's problems (RefiError) and
refused writes (DomainError) are recorded on the row, not retried; a failed
confirmation goes back to the preview so that the user can change the mapping
and confirm again. Transient database errors and bugs go up to the task, which
retries the first and fails the job on the second (`exchange_job_fail`).
"""

import io
import tempfile
from collections.abc import Callable
from importlib import import_module
from types import ModuleType
from typing import IO, Any

from django.core.files import File
from django.db import transaction

from analysis.exchange.backup import write_backup
from analysis.exchange.models import ExchangeFormat, ExchangeJob, ExchangeKind, ExchangeState
from analysis.exchange.parsed import ParsedProject
from analysis.exchange.plan import plan_project
from analysis.exchange.services.transfers import codebook_import, project_import
from dyads.exceptions import DomainError


def _format(module: str) -> ModuleType:
    """A format's reader or writer module, imported when a job of that format runs: the
    format libraries (lxml, openpyxl, XlsxWriter, python-docx) stay out of web processes."""
    return import_module(f"analysis.exchange.{module}")


PARSERS: dict[str, Callable[[bytes, str], ParsedProject]] = {
    ExchangeFormat.QDPX: lambda data, name: _format("qdpx_import").parse_qdpx(data, name),
    ExchangeFormat.QDC: lambda data, name: _format("codebook_io").parse_qdc(data, name),
    ExchangeFormat.CODEBOOK_CSV: lambda data, name: _format("codebook_io").parse_codebook_csv(
        data, name
    ),
    ExchangeFormat.CODEBOOK_XLSX: lambda data, name: _format("codebook_io").parse_codebook_xlsx(
        data, name
    ),
}
SUFFIXES = {
    ExchangeFormat.QDPX: ".qdpx",
    ExchangeFormat.QDC: "-codebook.qdc",
    ExchangeFormat.SEGMENTS_CSV: "-segments.csv",
    ExchangeFormat.SEGMENTS_XLSX: "-segments.xlsx",
    ExchangeFormat.EXCERPTS_DOCX: "-excerpts.docx",
    ExchangeFormat.BACKUP: "-backup.zip",
}


def download_name(job: ExchangeJob) -> str:
    return f"{job.study.slug}{SUFFIXES[job.format]}"


def _write_csv(job: ExchangeJob, out: IO[bytes], progress) -> dict[str, Any]:
    # utf-8-sig: Excel reads the file as UTF-8 only with the BOM.
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    count = _format("segments").write_csv(actor=job.created_by, study=job.study, out=text)
    text.flush()
    text.detach()
    return {"codings": count}


WRITERS: dict[str, Callable[[ExchangeJob, IO[bytes], Callable[[int], None]], dict[str, Any]]] = {
    ExchangeFormat.QDPX: lambda job, out, progress: (
        _format("qdpx_export")
        .write_qdpx(study=job.study, actor=job.created_by, out=out, progress=progress)
        .as_dict()
    ),
    ExchangeFormat.QDC: lambda job, out, progress: {
        "codes": _format("codebook_io").write_qdc(study=job.study, out=out)
    },
    ExchangeFormat.SEGMENTS_CSV: _write_csv,
    ExchangeFormat.SEGMENTS_XLSX: lambda job, out, progress: {
        "codings": _format("segments").write_xlsx(actor=job.created_by, study=job.study, out=out)
    },
    ExchangeFormat.EXCERPTS_DOCX: lambda job, out, progress: {
        "excerpts": _format("docx_excerpts").write_docx(
            actor=job.created_by, study=job.study, out=out, code_id=job.options.get("code")
        )
    },
    ExchangeFormat.BACKUP: lambda job, out, progress: {
        "rows": write_backup(study=job.study, out=out, progress=progress).rows
    },
}


def _export(job: ExchangeJob) -> None:
    with tempfile.TemporaryFile() as out:
        result = WRITERS[job.format](job, out, ExchangeJob.progress_writer(job.pk))
        out.seek(0)
        job.output.save(download_name(job), File(out), save=False)
    job.finish(ExchangeState.SUCCEEDED, result=result)


def _parse(job: ExchangeJob) -> ParsedProject:
    with job.upload.open("rb") as upload:
        data = upload.read()
    return PARSERS[job.format](data, job.file_name)


def _preview(job: ExchangeJob) -> None:
    project = _parse(job)
    plan = plan_project(job.study, project, job.options.get("mapping"), job.options.get("users"))
    preview = plan.as_dict()
    earlier = ExchangeJob.objects.filter(
        study=job.study,
        kind=ExchangeKind.IMPORT,
        checksum=job.checksum,
        state=ExchangeState.SUCCEEDED,
    ).first()
    if earlier is not None:
        preview["warnings"].insert(
            0,
            f"This file was imported on {earlier.finished_at:%Y-%m-%d}; importing it again adds "
            "only what is not there yet.",
        )
    job.finish(ExchangeState.PREVIEWED, preview=preview, error="")


def _import(job: ExchangeJob) -> None:
    project = _parse(job)
    try:
        if job.format == ExchangeFormat.QDPX:
            result = project_import(
                actor=job.created_by,
                study=job.study,
                project=project,
                mapping=job.options.get("mapping") or {},
                users=job.options.get("users") or {},
            )
        else:
            result = codebook_import(actor=job.created_by, study=job.study, project=project)
    except DomainError as error:
        job.options = {**job.options, "confirmed": False}
        job.finish(ExchangeState.PREVIEWED, error=str(error))
        return
    job.finish(ExchangeState.SUCCEEDED, result=result.as_dict(), error="")


def run_job(job_id: int, task_id: str | None = None) -> None:
    """Run a queued job: an export, an import's preview or a confirmed import.

    Does nothing if another run has the job or it is not waiting to run.
    """
    if not ExchangeJob.claim(job_id, task_id):
        return
    job = ExchangeJob.objects.select_related("study", "created_by").get(pk=job_id)
    RefiError = _format("refi").RefiError
    try:
        if job.kind == ExchangeKind.EXPORT:
            _export(job)
        elif job.options.get("confirmed"):
            _import(job)
        else:
            _preview(job)
    except (RefiError, DomainError) as error:
        job.finish(ExchangeState.FAILED, error=str(error))
    _drop_upload(job)


def _drop_upload(job: ExchangeJob) -> None:
    """An imported file is read by the preview and the import; once the job ends, either
    way, it is deleted (it may hold real names)."""
    if job.finished and job.upload:
        job.upload.delete(save=False)
        ExchangeJob.objects.filter(pk=job.pk).update(upload="")


@transaction.atomic
def exchange_job_fail(*, job_id: int, error: str) -> ExchangeJob:
    """Mark a queued or running job failed with its reason (the task's last resort)."""
    job = ExchangeJob.objects.select_for_update().get(pk=job_id)
    job.fail(error)
    _drop_upload(job)
    return job


def recent_jobs(*, study, user, limit: int = 10) -> list[ExchangeJob]:
    """The user's latest exchange jobs in the study, newest first."""
    return list(
        ExchangeJob.objects.filter(study=study, created_by=user).order_by("-created_at", "-pk")[
            :limit
        ]
    )
