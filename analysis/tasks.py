"""Celery tasks of the analysis app. They take ids, claim their job row and call a service."""

from celery import shared_task
from django.db import InterfaceError, OperationalError, close_old_connections

from analysis.exchange.services.runner import run_job

# Errors that may pass: the database restarting, a dropped connection.
TRANSIENT = (OperationalError, InterfaceError)
MAX_RETRIES = 5


@shared_task(bind=True, name="analysis.run_exchange_job", acks_late=True, max_retries=MAX_RETRIES)
def run_exchange_job(self, job_id: int) -> None:
    """Run an export, an import's preview or a confirmed import (analysis.exchange.services.runner).

    The job row is claimed with a conditional update, so a redelivered task
    does nothing twice; a transient database error puts the job back in the
    queue and retries with back-off.
    """
    try:
        run_job(job_id)
    except TRANSIENT as error:
        close_old_connections()
        raise self.retry(exc=error, countdown=2**self.request.retries) from error
