"""Celery tasks of the interviews app. They take ids, claim their job row and call a service."""

import datetime as dt

from celery import shared_task

from dyads.jobs import job_task

from .models import ImportJob
from .services.imports import import_job_fail, import_job_run, import_uploads_expire
from .services.search_documents import search_documents_fill, search_documents_fill_taken


@job_task(
    name="interviews.import_job_process",
    model=ImportJob,
    fail=import_job_fail,
    unreachable="The database could not be reached; try the import again later.",
    internal="The import failed because of an internal error.",
)
def import_job_process(job_id: int, task_id: str | None) -> None:
    """Import one transcript file (see services.imports.import_job_run); a bad file
    fails the job without a retry. The retries and the failure after the last are
    those of every job (dyads.jobs.job_task)."""
    import_job_run(job_id=job_id, task_id=task_id)


@shared_task(name="interviews.import_uploads_expire")
def import_uploads_expire_task(hours: int = 24) -> int:
    """Delete uploads that were previewed but never imported (they hold real names)."""
    return import_uploads_expire(older_than=dt.timedelta(hours=hours))


@shared_task(name="interviews.search_documents_fill")
def search_documents_fill_task() -> int:
    """Compute the full-text documents of revisions stored since the last run."""
    search_documents_fill_taken()
    return search_documents_fill()
