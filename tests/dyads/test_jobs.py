"""Transcript imports and exchanges are jobs of one lifecycle (dyads.jobs): claimed once by a
conditional update, retried only on transient database errors, and failed with a clear
error after the last retry or on an unexpected error, whichever kind of job it is."""

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import OperationalError

from analysis.exchange.models import ExchangeJob, ExchangeState
from analysis.exchange.services import runner
from analysis.exchange.services.transfers import exchange_export_start, exchange_import_confirm
from analysis.tasks import run_exchange_job
from config.celery import app
from dyads.jobs import MAX_RETRIES, JobState
from interviews.models import ImportJob, ImportState
from interviews.services.imports import transcript_import
from interviews.tasks import import_job_process
from tests.api.exchange_world import owners_previewed_import
from tests.interviews import samples


@dataclass
class Kind:
    model: Any
    task: Any
    step: str  # the name the task calls its step by, to be replaced in a test
    unreachable: str
    internal: str


KINDS = {
    "import": Kind(
        ImportJob,
        import_job_process,
        "interviews.tasks.import_job_run",
        "The database could not be reached; try the import again later.",
        "The import failed because of an internal error.",
    ),
    "exchange": Kind(
        ExchangeJob,
        run_exchange_job,
        "analysis.tasks.run_job",
        "The database could not be reached; start the job again later.",
        "The job stopped on an unexpected error; it is in the server's log.",
    ),
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def retries_run_in_turn():
    """A task run in-process runs its retries in turn, as a worker would, instead of
    raising the first Retry to the test."""
    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


def queued(kind: str, cast):
    """A queued job of the kind, not sent to any worker."""
    if kind == "import":
        return transcript_import(
            actor=cast.interviewer,
            interview=cast.therapist_interview,
            file_name="t.txt",
            content=samples.txt(),
            enqueue=False,
        )
    return exchange_export_start(actor=cast.owner, study=cast.study, format="qdc")


def failing(error: Exception, calls: list | None = None):
    def step(*args, **kwargs):
        if calls is not None:
            calls.append(1)
        raise error

    return step


@pytest.mark.parametrize("kind", KINDS)
def test_a_job_still_failing_transiently_after_its_last_retry_ends_failed_with_a_clear_error(
    cast, monkeypatch, kind
):
    job = queued(kind, cast)
    monkeypatch.setattr(KINDS[kind].step, failing(OperationalError("connection refused")))

    KINDS[kind].task.apply(args=[job.pk], task_id=str(job.task_id), retries=MAX_RETRIES)

    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == KINDS[kind].unreachable
    assert job.finished_at is not None


def test_an_exchange_job_whose_task_fails_transiently_past_its_last_retry_ends_failed(
    cast, monkeypatch, retries_run_in_turn
):
    job = queued("exchange", cast)
    calls = []
    monkeypatch.setattr(
        "analysis.exchange.services.runner._export",
        failing(OperationalError("server closed the connection unexpectedly"), calls),
    )

    run_exchange_job.apply(args=[job.pk], task_id=str(job.task_id))

    job.refresh_from_db()
    assert len(calls) == MAX_RETRIES + 1
    assert job.state == ExchangeState.FAILED
    assert job.error == "The database could not be reached; start the job again later."


def test_an_exchange_job_interrupted_by_a_transient_error_is_taken_back_by_its_retry(
    cast, monkeypatch, retries_run_in_turn
):
    job = queued("exchange", cast)
    export = runner._export
    calls = []

    def once_unreachable(job):
        calls.append(job.state)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        export(job)

    monkeypatch.setattr("analysis.exchange.services.runner._export", once_unreachable)

    run_exchange_job.apply(args=[job.pk], task_id=str(job.task_id))

    job.refresh_from_db()
    assert calls == [ExchangeState.RUNNING, ExchangeState.RUNNING]
    assert (job.state, job.progress, job.error) == (ExchangeState.SUCCEEDED, 100, "")


@pytest.mark.parametrize("kind", KINDS)
def test_an_unexpected_error_fails_the_job_and_is_logged(cast, monkeypatch, caplog, kind):
    job = queued(kind, cast)
    monkeypatch.setattr(KINDS[kind].step, failing(RuntimeError("a bug")))

    KINDS[kind].task.apply(args=[job.pk], task_id=str(job.task_id))

    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, KINDS[kind].internal)
    assert "a bug" in caplog.text


@pytest.mark.parametrize("kind", KINDS)
def test_a_second_claim_of_the_same_job_does_nothing(cast, kind):
    job = queued(kind, cast)
    model = KINDS[kind].model

    assert model.claim(job.pk, str(job.task_id))
    claimed = model.objects.values("state", "progress", "started_at").get(pk=job.pk)
    assert not model.claim(job.pk, "another-delivery")
    assert not model.claim(job.pk)

    assert claimed["state"] == JobState.RUNNING
    assert model.objects.values("state", "progress", "started_at").get(pk=job.pk) == claimed


@pytest.mark.parametrize("kind", KINDS)
def test_a_task_delivered_again_takes_its_running_job_back(cast, kind):
    job = queued(kind, cast)
    model = KINDS[kind].model

    assert model.claim(job.pk, str(job.task_id))
    assert model.claim(job.pk, str(job.task_id))


def test_a_duplicated_exchange_task_runs_the_job_once(cast):
    job = queued("exchange", cast)

    run_exchange_job.apply(args=[job.pk], task_id=str(job.task_id))
    first = ExchangeJob.objects.get(pk=job.pk)
    run_exchange_job.apply(args=[job.pk], task_id="another-delivery")

    job.refresh_from_db()
    assert job.state == ExchangeState.SUCCEEDED
    assert (job.output.name, job.finished_at) == (first.output.name, first.finished_at)


@pytest.mark.parametrize(
    ("kind", "state"),
    [
        ("import", ImportState.SUCCEEDED),
        ("exchange", ExchangeState.SUCCEEDED),
        ("exchange", ExchangeState.PREVIEWED),
    ],
)
def test_a_task_giving_up_late_leaves_a_job_that_ended_or_waits_for_the_user(
    cast, monkeypatch, kind, state
):
    job = queued(kind, cast)
    KINDS[kind].model.objects.filter(pk=job.pk).update(state=state)
    monkeypatch.setattr(KINDS[kind].step, failing(OperationalError("connection refused")))

    KINDS[kind].task.apply(args=[job.pk], task_id=str(job.task_id), retries=MAX_RETRIES)

    job.refresh_from_db()
    assert (job.state, job.error) == (state, "")


def test_the_previews_task_delivered_again_cannot_take_the_confirmed_import(cast):
    world = SimpleNamespace(study=cast.study, cast=cast)
    job = owners_previewed_import(world)
    preview_task = str(job.task_id)

    job = exchange_import_confirm(actor=cast.owner, job=job)

    assert ExchangeJob.claim(job.pk, str(job.task_id))
    assert not ExchangeJob.claim(job.pk, preview_task)


def test_an_exchange_job_has_every_state_of_a_job():
    assert set(JobState.values) <= set(ExchangeState.values)
    assert set(ImportState.values) == set(JobState.values)


def test_progress_is_written_forwards_only_and_below_done(cast):
    job = queued("exchange", cast)
    ExchangeJob.claim(job.pk)
    write = ExchangeJob.progress_writer(job.pk)

    seen = []
    for percent in (30, 20, 150):
        write(percent)
        seen.append(ExchangeJob.objects.get(pk=job.pk).progress)

    assert seen == [30, 30, 99]
