"""Celery tasks of the analysis app. They take ids, claim their job row and call a service."""

from analysis.exchange.models import ExchangeJob
from analysis.exchange.services.runner import exchange_job_fail, run_job
from dyads.jobs import job_task


@job_task(
    name="analysis.run_exchange_job",
    model=ExchangeJob,
    fail=exchange_job_fail,
    unreachable="The database could not be reached; start the job again later.",
    internal="The job stopped on an unexpected error; it is in the server's log.",
)
def run_exchange_job(job_id: int, task_id: str | None) -> None:
    """Run an export, an import's preview or a confirmed import (analysis.exchange.services.runner).

    The retries and the failure after the last are those of every job (dyads.jobs.job_task).
    """
    run_job(job_id, task_id)
