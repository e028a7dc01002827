"""Celery tasks of the interviews app. They take ids, claim their job row and call a service."""

import datetime as dt
import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services.imports import import_job_fail, import_job_run, import_uploads_expire
from .services.search_documents import search_documents_fill, search_documents_fill_taken

logger = logging.getLogger(__name__)

# Errors that may pass: the database restarting, a dropped connection.
TRANSIENT = (OperationalError, InterfaceError)
MAX_RETRIES = 5


@shared_task(
    bind=True, name="interviews.import_job_process", acks_late=True, max_retries=MAX_RETRIES
)
def import_job_process(self, job_id: int) -> None:
    """Import one transcript file (see services.imports.import_job_run).

    Acknowledged late: a worker lost mid-run leaves the message to be
    redelivered, and the same task id may take its job back. Transient
    database errors are retried with back-off; a bad file fails the job
    without a retry; anything else fails the job and is logged.
    """
    try:
        import_job_run(job_id=job_id, task_id=self.request.id)
    except TRANSIENT as error:
        # Celery's Django fix-up replaces a broken connection before the retry runs.
        if self.request.retries >= self.max_retries:
            import_job_fail(
                job_id=job_id,
                error="The database could not be reached; try the import again later.",
            )
            return
        raise self.retry(exc=error, countdown=2**self.request.retries) from error
    except Exception:
        # A bug, not the file: record it on the job (the page stops waiting) and log it.
        logger.exception("Import job %s failed", job_id)
        import_job_fail(job_id=job_id, error="The import failed because of an internal error.")


@shared_task(name="interviews.import_uploads_expire")
def import_uploads_expire_task(hours: int = 24) -> int:
    """Delete uploads that were previewed but never imported (they hold real names)."""
    return import_uploads_expire(older_than=dt.timedelta(hours=hours))


@shared_task(name="interviews.search_documents_fill")
def search_documents_fill_task() -> int:
    """Compute the full-text documents of revisions stored since the last run."""
    search_documents_fill_taken()
    return search_documents_fill()
