"""Every job ends: a broker outage refuses the request (503) and commits nothing; a job
whose worker was lost is failed by the sweep (Celery beat) and the same file can be
imported again; a job whose message was lost is sent again."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from analysis.exchange.models import ExchangeJob
from analysis.exchange.services.transfers import exchange_export_start
from analysis.tasks import run_exchange_job
from config.celery import app
from dyads.exceptions import Unavailable
from dyads.jobs import JobState, jobs_sweep
from dyads.models import AuditEvent
from interviews.models import ImportJob, ImportUpload
from interviews.services.imports import transcript_import
from interviews.tasks import import_job_process
from tests.conftest import api_as
from tests.interviews import samples

LATER = dt.timedelta(hours=3)


@pytest.fixture
def broker_down(settings):
    """The broker's URL points at a closed port; tasks are not run in-process."""
    closed = {"broker_url": "redis://127.0.0.1:1/0", "broker_write_url": "redis://127.0.0.1:1/0"}
    overrides = {**closed, "task_always_eager": False}
    previous = {key: app.conf[key] for key in overrides}
    app.conf.update(overrides)
    yield
    app.conf.update(previous)


def test_an_import_during_a_broker_outage_answers_503_and_commits_nothing(cast, broker_down):
    events = AuditEvent.objects.count()

    response = api_as(cast.interviewer).post(
        f"/api/v1/interviews/{cast.therapist_interview.pk}/transcripts/",
        {"file": SimpleUploadedFile("interview.txt", samples.txt())},
        format="multipart",
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "job queue cannot be reached" in response.json()["detail"]
    assert not ImportJob.objects.exists() and not ImportUpload.objects.exists()
    assert AuditEvent.objects.count() == events


def test_an_export_during_a_broker_outage_is_refused_and_no_job_is_left(cast, broker_down):
    with pytest.raises(Unavailable):
        exchange_export_start(actor=cast.owner, study=cast.study, format="qdc")

    assert not ExchangeJob.objects.exists()


def imported(cast) -> ImportJob:
    return transcript_import(
        actor=cast.interviewer,
        interview=cast.therapist_interview,
        file_name="interview.txt",
        content=samples.txt(),
        enqueue=False,
    )


def test_the_sweep_fails_a_job_whose_worker_was_lost_and_deletes_its_upload(cast):
    job = imported(cast)
    assert ImportJob.claim(job.pk)  # a worker took it, then was killed

    assert jobs_sweep()["interviews.importjob failed"] == 0  # within the run's time limit
    counts = jobs_sweep(now=timezone.now() + LATER)

    assert counts["interviews.importjob failed"] == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error.startswith("The worker running this job stopped without finishing it")
    assert job.upload is None and not ImportUpload.objects.exists()


def test_a_re_post_of_the_file_after_the_sweep_starts_a_new_attempt(cast):
    job = imported(cast)
    ImportJob.claim(job.pk)
    jobs_sweep(now=timezone.now() + LATER)

    again = imported(cast)

    assert again.pk != job.pk and again.state == JobState.QUEUED


def test_a_re_post_of_a_file_whose_job_stalled_fails_it_and_starts_a_new_attempt(cast):
    job = imported(cast)
    ImportJob.claim(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - LATER)

    again = imported(cast)

    assert again.pk != job.pk and again.state == JobState.QUEUED
    job.refresh_from_db()
    assert job.state == JobState.FAILED


def test_a_re_post_while_the_job_runs_answers_that_job(cast):
    job = imported(cast)
    ImportJob.claim(job.pk)

    assert imported(cast).pk == job.pk


def test_a_job_left_queued_is_sent_again_under_a_new_task_id(
    cast, django_capture_on_commit_callbacks
):
    job = imported(cast)
    ImportJob.objects.filter(pk=job.pk).update(queued_at=timezone.now() - LATER)

    with django_capture_on_commit_callbacks() as sends:
        counts = jobs_sweep()

    assert counts["interviews.importjob sent again"] == 1
    assert len(sends) == 1
    assert ImportJob.objects.get(pk=job.pk).task_id != job.task_id


def test_job_tasks_are_acknowledged_late_rejected_on_worker_loss_and_time_limited():
    for task in (import_job_process, run_exchange_job):
        assert task.acks_late and task.reject_on_worker_lost
        assert task.soft_time_limit == 60 * django_settings.DUET_JOB_TIME_LIMIT_MINUTES
    assert django_settings.CELERY_TASK_ACKS_LATE
    assert django_settings.CELERY_TASK_REJECT_ON_WORKER_LOST


def test_celery_beat_sweeps_the_jobs_every_five_minutes():
    assert django_settings.CELERY_BEAT_SCHEDULE["sweep-jobs"] == {
        "task": "dyads.jobs_sweep",
        "schedule": 300.0,
    }
