"""Celery tasks of the kernel: the sweep that makes every job end (dyads.jobs)."""

from celery import shared_task

from .jobs import jobs_sweep


@shared_task(name="dyads.jobs_sweep")
def jobs_sweep_task() -> dict[str, int]:
    """Fail jobs whose worker was lost; send again jobs whose message was (Celery beat)."""
    return jobs_sweep()
