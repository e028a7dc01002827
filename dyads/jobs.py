"""The one job lifecycle: a long job is a row that pages read, run by one kind of Celery task.

`Job` is the abstract model every job row inherits (transcript imports, exchanges):
its state, progress and error, the claim of a run by a conditional update, its
progress writes and its end. `job_task` makes the Celery task that runs one job:
it takes the job's id, runs the step (which claims the row first), retries only
transient database errors with back-off, and applies one rule after the last
retry or on an unexpected error: the job is marked failed with a clear error, so
that the page stops waiting. The kernel knows nothing of the kinds of job: each
app gives its step and its service that fails a job.
"""

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any, Protocol

from celery import shared_task
from django.db import InterfaceError, OperationalError, models
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)

# Errors that may pass: the database restarting, a dropped connection.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
MAX_RETRIES = 5


class JobState(models.TextChoices):
    """The states every job passes through; a kind of job may add its own between them."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


ACTIVE_JOB_STATES = [JobState.QUEUED, JobState.RUNNING]
FINISHED_JOB_STATES = [JobState.SUCCEEDED, JobState.FAILED]


def _is_uuid(value: str) -> bool:
    """Jobs are sent under their row's task id; a task sent under another id is not theirs."""
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


class Job(models.Model):
    """A job row. A subclass that adds states overrides `state` with its own choices,
    which keep the values of JobState (the kernel reads and writes those)."""

    # Progress of a job once claimed, in percent.
    CLAIMED_PROGRESS = 5

    state = models.CharField(max_length=20, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # The Celery task id the job is sent with; a redelivery or a retry carries it again.
    task_id = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_JOB_STATES

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_JOB_STATES

    @classmethod
    def claim(cls, job_id: int, task_id: str | None = None) -> bool:
        """Queued -> running, atomically; a task delivered again (same id) takes its job back.

        False if another run has the job or it is not waiting to run: the caller does nothing.
        """
        claimable = Q(state=JobState.QUEUED)
        if task_id and _is_uuid(task_id):
            claimable |= Q(state=JobState.RUNNING, task_id=task_id)
        return bool(
            cls.objects.filter(claimable, pk=job_id).update(
                state=JobState.RUNNING, progress=cls.CLAIMED_PROGRESS, started_at=timezone.now()
            )
        )

    @classmethod
    def progress_writer(cls, job_id: int, *, every: float = 0.0) -> Callable[[int], None]:
        """A function that records a running job's progress (1-99 %, never backwards),
        at most once every `every` seconds (the page polls; most stages end unseen)."""
        last_write = time.monotonic()
        written = 0

        def write(percent: int) -> None:
            nonlocal last_write, written
            percent = max(1, min(int(percent), 99))
            if percent <= written or time.monotonic() - last_write < every:
                return
            cls.objects.filter(pk=job_id, state=JobState.RUNNING).update(progress=percent)
            last_write, written = time.monotonic(), percent

        return write

    def finish(self, state: str, **fields: Any) -> None:
        """Record where a run ended (and save): done at 100 %, or failed where it stopped.

        A state that waits for the user (not succeeded or failed) has no end time yet.
        """
        for name, value in fields.items():
            setattr(self, name, value)
        self.state = state
        if state != JobState.FAILED:
            self.progress = 100
        self.finished_at = timezone.now() if self.finished else None
        self.save()

    def fail(self, error: str) -> bool:
        """Mark a queued or running job failed with its reason; False (and nothing
        changed) for a job that ended or waits for the user. Call it on a locked row."""
        if not self.active:
            return False
        self.finish(JobState.FAILED, error=error)
        return True


class JobFail(Protocol):
    """A service that marks a job failed: `fail(job_id=..., error=...)`."""

    def __call__(self, *, job_id: int, error: str) -> Any: ...


def job_task(
    *,
    name: str,
    fail: JobFail,
    unreachable: str,
    internal: str,
) -> Callable[[Callable[[int, str | None], Any]], Any]:
    """Make `step(job_id, task_id)` the body of the Celery task `name` that runs one job.

    Acknowledged late: a worker lost mid-run leaves the message to be delivered
    again, and the same task id may claim its job back. Transient database errors
    are retried with back-off (1, 2, 4 ... s; config.celery replaces a broken
    connection before the retry runs); after the last retry the job is
    failed with `unreachable`. Anything else is a bug, not the input: it is
    logged and the job failed with `internal`. A step records its input's
    problems on the job itself (they are not retried).
    """

    def decorate(step: Callable[[int, str | None], Any]) -> Any:
        def run(self, job_id: int) -> None:
            try:
                step(job_id, self.request.id)
            except TRANSIENT_ERRORS as error:
                if self.request.retries >= self.max_retries:
                    logger.warning("Job %s (%s) gave up after its retries: %s", job_id, name, error)
                    fail(job_id=job_id, error=unreachable)
                    return
                raise self.retry(exc=error, countdown=2**self.request.retries) from error
            except Exception:
                logger.exception("Job %s (%s) failed", job_id, name)
                fail(job_id=job_id, error=internal)

        run.__name__ = run.__qualname__ = step.__name__
        run.__module__ = step.__module__
        run.__doc__ = step.__doc__
        return shared_task(bind=True, name=name, acks_late=True, max_retries=MAX_RETRIES)(run)

    return decorate
