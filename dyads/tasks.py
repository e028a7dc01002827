"""Celery tasks of the kernel."""

from celery import shared_task

from .audit.checkpoints import audit_checkpoints_publish


@shared_task(name="dyads.audit_checkpoints_publish")
def audit_checkpoints_publish_task() -> int:
    """Sign a checkpoint of every audit chain that moved since its last one (Celery beat)."""
    return audit_checkpoints_publish()
