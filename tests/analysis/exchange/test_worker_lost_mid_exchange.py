"""A worker killed (kill -9) in the middle of a confirmed exchange import leaves its job
running; the sweep fails it and deletes the uploaded file."""

import datetime as dt
import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from analysis.coding.models import Code
from analysis.exchange.models import ExchangeJob, ExchangeState
from analysis.exchange.services.transfers import exchange_import_confirm, exchange_import_start
from dyads.jobs import jobs_sweep
from tests.workers import audit_chain_locked, kill_worker, wait_until_state

pytestmark = pytest.mark.worker


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    """The worker (started after this) reads the upload where the test stored it."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("DUET_MEDIA_ROOT", str(tmp_path))


def test_a_worker_killed_mid_exchange_leaves_a_job_the_sweep_fails(transactional_db, worker, cast):
    codes = Code.objects.filter(study=cast.study).count()
    job = exchange_import_start(
        actor=cast.analyst,
        study=cast.study,
        format="codebook_csv",
        upload=SimpleUploadedFile("book.csv", b"Name;Definition\nHope;Looking forward\n"),
    )
    job = wait_until_state(job, ExchangeState.PREVIEWED, worker)
    stored = job.upload.name
    with audit_chain_locked(cast.study):
        exchange_import_confirm(actor=cast.analyst, job=job)
        wait_until_state(job, ExchangeState.RUNNING, worker)
        time.sleep(0.5)  # parsed, and waiting to record the first code's audit event
        kill_worker(worker)

    assert ExchangeJob.objects.get(pk=job.pk).state == ExchangeState.RUNNING
    counts = jobs_sweep(now=timezone.now() + dt.timedelta(hours=3))

    assert counts["analysis.exchangejob failed"] == 1
    job = ExchangeJob.objects.get(pk=job.pk)
    assert job.state == ExchangeState.FAILED and "stopped without finishing" in job.error
    assert not job.upload and not default_storage.exists(stored)
    assert Code.objects.filter(study=cast.study).count() == codes
