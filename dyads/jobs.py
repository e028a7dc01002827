"""The one job lifecycle: a long job is a row that pages read, run by one kind of Celery task.

`Job` is the abstract model every job row inherits (transcript imports, exchanges):
its state, progress and error, the claim of a run by a conditional update, its
progress writes and its end. `job_task` makes the Celery task that runs one job:
it takes the job's id, runs the step (which claims the row first), retries only
transient database errors with back-off, and applies one rule after the last
retry or on an unexpected error: the job is marked failed with a clear error, so
that the page stops waiting. The kernel knows nothing of the kinds of job: each
app gives its step and its service that fails a job.

A job always ends. `job_send` checks that the broker answers inside the caller's
transaction (if not, `Unavailable`: the request answers 503 and the transaction
commits nothing) and sends the task when it commits. A worker lost mid-run leaves
its message to be delivered again (acknowledged late, rejected on worker loss); a
worker killed outright, or a message lost with the broker, leaves the row behind,
and `jobs_sweep` (Celery beat, every few minutes) fails a job whose claim is older
than the time limit of a run and sends again one left queued for as long.
"""

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from celery import current_app, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, models, transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from .exceptions import Unavailable

logger = logging.getLogger(__name__)

# Errors that may pass: the database restarting, a dropped connection.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
MAX_RETRIES = 5
# A sweep gives a lost run this long after its time limit before it fails the job.
SWEEP_MARGIN = dt.timedelta(minutes=5)
TIME_LIMIT = "The job took longer than {} minutes and was stopped."
QUEUE_DOWN = "The job queue cannot be reached, so nothing was started or saved; try again shortly."


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
    # When the job was last sent to the workers (a confirmed preview is sent again).
    queued_at = models.DateTimeField(default=timezone.now)
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

    @property
    def stalled(self) -> bool:
        """Running since longer than any run may take: its worker was lost."""
        return self.state == JobState.RUNNING and self.started_at < stalled_before()

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


def run_time_limit() -> dt.timedelta:
    """How long one run of a job may take before Celery stops it (a setting)."""
    return dt.timedelta(minutes=settings.DUET_JOB_TIME_LIMIT_MINUTES)


def job_send(task, job: Job) -> None:
    """Send `task` for `job` when the caller's transaction commits, under the job's task id.

    The broker is asked first, inside the transaction: if it does not answer, raise
    Unavailable (503), so that the transaction commits nothing. If the send itself
    then fails, the job stays queued and `jobs_sweep` sends it again.
    """
    app = current_app
    if not app.conf.task_always_eager:
        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=5)
        except (BrokerError, OSError) as error:
            logger.warning("The broker did not answer: %s", error)
            raise Unavailable(QUEUE_DOWN) from error
    job_id, task_id = job.pk, str(job.task_id)

    def send() -> None:
        try:
            task.apply_async(args=[job_id], task_id=task_id)
        except (BrokerError, OSError):
            logger.exception("Job %s was not sent; the sweep sends it again", job_id)

    transaction.on_commit(send)


@dataclass(frozen=True)
class JobKind:
    model: type[Job]
    task: Any
    fail: "JobFail"


# The kinds of job, registered by job_task, for the sweep.
JOB_KINDS: list[JobKind] = []


def jobs_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Fail the jobs whose run was lost, send again those whose message was.

    A running job claimed longer ago than the run's time limit (and a margin) has
    no worker left: it is failed with a reason, which also lets the same file be
    imported again. A job queued for as long is sent again under a new task id (the
    old message, if it ever arrives, finds the job taken). The counts, by model.
    """
    cutoff = stalled_before(now)
    counts = {}
    for kind in JOB_KINDS:
        label = kind.model._meta.label_lower
        stalled = list(
            kind.model.objects.filter(state=JobState.RUNNING, started_at__lt=cutoff).values_list(
                "pk", flat=True
            )
        )
        for job_id in stalled:
            kind.fail(job_id=job_id, error=stalled_error())
        counts[f"{label} failed"] = len(stalled)
        counts[f"{label} sent again"] = _send_again(kind, cutoff)
    return counts


def stalled_error() -> str:
    return (
        "The worker running this job stopped without finishing it (no end within "
        f"{settings.DUET_JOB_TIME_LIMIT_MINUTES} minutes); start it again."
    )


def stalled_before(now: dt.datetime | None = None) -> dt.datetime:
    """A job claimed before this has outlived its run's time limit (and a margin)."""
    return (now or timezone.now()) - run_time_limit() - SWEEP_MARGIN


def _send_again(kind: JobKind, cutoff: dt.datetime) -> int:
    waiting = kind.model.objects.filter(state=JobState.QUEUED, queued_at__lt=cutoff)
    sent = 0
    for job_id in waiting.values_list("pk", flat=True):
        with transaction.atomic():
            job = kind.model.objects.select_for_update().filter(pk=job_id).first()
            if job is None or job.state != JobState.QUEUED:
                continue
            job.task_id, job.queued_at = uuid.uuid4(), timezone.now()
            job.save(update_fields=["task_id", "queued_at"])
            job_send(kind.task, job)
            sent += 1
    return sent


class JobFail(Protocol):
    """A service that marks a job failed: `fail(job_id=..., error=...)`."""

    def __call__(self, *, job_id: int, error: str) -> Any: ...


def job_task(
    *,
    name: str,
    model: type[Job],
    fail: JobFail,
    unreachable: str,
    internal: str,
) -> Callable[[Callable[[int, str | None], Any]], Any]:
    """Make `step(job_id, task_id)` the body of the Celery task `name` that runs one job.

    Acknowledged late and rejected (so requeued) on the loss of its worker process:
    the message is delivered again, and the same task id may claim its job back.
    A run longer than DUET_JOB_TIME_LIMIT_MINUTES is stopped and its job failed. Transient database errors
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
            except SoftTimeLimitExceeded:
                fail(job_id=job_id, error=TIME_LIMIT.format(settings.DUET_JOB_TIME_LIMIT_MINUTES))
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
        limit = run_time_limit().total_seconds()
        task = shared_task(
            bind=True,
            name=name,
            acks_late=True,
            reject_on_worker_lost=True,
            max_retries=MAX_RETRIES,
            soft_time_limit=limit,
            time_limit=limit + 60,
        )(run)
        JOB_KINDS.append(JobKind(model=model, task=task, fail=fail))
        return task

    return decorate
