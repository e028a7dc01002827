"""Celery tasks of the kernel: signed audit checkpoints, and the sweep that makes every
job end (dyads.jobs)."""

from celery import shared_task

from .audit.checkpoints import audit_checkpoints_publish
from .jobs import jobs_sweep


@shared_task(name="dyads.audit_checkpoints_publish")
def audit_checkpoints_publish_task() -> int:
    """Sign a checkpoint of every audit chain that moved since its last one (Celery beat)."""
    return audit_checkpoints_publish()


@shared_task(name="dyads.jobs_sweep")
def jobs_sweep_task() -> dict[str, int]:
    """Fail jobs whose worker was lost; send again jobs whose message was (Celery beat)."""
    return jobs_sweep()
