"""A real Celery worker, on Redis and the test database, runs an exchange job through the
one job task (dyads.jobs.job_task), sent under the job's task id, like an import job."""

import pytest

from analysis.exchange.models import ExchangeState
from analysis.exchange.services.transfers import exchange_export_start
from tests.workers import wait_until_finished

pytestmark = pytest.mark.worker


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    """The worker (started after this) writes the export where the test reads it."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("DUET_MEDIA_ROOT", str(tmp_path))


def test_a_worker_runs_an_export_job_through_redis_and_postgresql(transactional_db, worker, cast):
    # transactional_db: the worker must see the committed rows, and the enqueue runs on commit.
    job = exchange_export_start(actor=cast.owner, study=cast.study, format="qdc")

    job = wait_until_finished(job, worker)
    assert job.state == ExchangeState.SUCCEEDED, job.error
    assert (job.progress, job.error) == (100, "")
    assert job.started_at is not None and job.finished_at >= job.started_at
    with job.output.open("rb") as output:
        assert b"<CodeBook" in output.read()
