"""A worker killed (kill -9) in the middle of an import leaves its job running; the sweep
(dyads.jobs.jobs_sweep, run by Celery beat) fails it and deletes its upload, and the same
file can then be imported again."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from dyads.jobs import JobState, jobs_sweep
from interviews.models import ImportJob, ImportUpload
from interviews.services.imports import transcript_import
from interviews.tasks import import_job_process
from tests.interviews import samples
from tests.workers import audit_chain_locked, kill_worker, wait_until_state

pytestmark = pytest.mark.worker


def queue_import(cast) -> ImportJob:
    return transcript_import(
        actor=cast.interviewer,
        interview=cast.therapist_interview,
        file_name="interview.docx",
        content=samples.make_docx(),
        enqueue=False,
    )


def test_a_worker_killed_mid_import_leaves_a_job_the_sweep_fails(transactional_db, worker, cast):
    job = queue_import(cast)
    with audit_chain_locked(cast.study):
        import_job_process.apply_async(args=[job.pk], task_id=str(job.task_id))
        wait_until_state(job, JobState.RUNNING, worker)
        time.sleep(0.5)  # parsed, and waiting to store the revision
        kill_worker(worker)

    assert ImportJob.objects.get(pk=job.pk).state == JobState.RUNNING
    counts = jobs_sweep(now=timezone.now() + dt.timedelta(hours=3))

    assert counts["interviews.importjob failed"] == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "stopped without finishing" in job.error
    assert job.revision is None
    assert not ImportUpload.objects.filter(pk=job.upload_id or 0).exists()
    assert not ImportUpload.objects.exists()
    again = queue_import(cast)
    assert again.pk != job.pk and again.state == JobState.QUEUED
