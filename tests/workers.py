"""A real Celery worker on Redis and the test database, for the tests marked `worker`
(the fixture `worker`, registered in tests/conftest.py), and waits on its jobs."""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from config.celery import app
from dyads.jobs import Job
from dyads.models import AuditChainHead

ROOT = Path(__file__).resolve().parents[1]
BROKER = os.environ.get("CELERY_BROKER_URL", "")
DEADLINE_SECONDS = 120


def database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def worker(settings):
    """A worker on a queue of its own, always stopped after the test."""
    if not BROKER.startswith("redis://") or connection.vendor != "postgresql":
        pytest.skip("needs CELERY_BROKER_URL on Redis and DATABASE_URL on PostgreSQL")
    queue = f"test-jobs-{uuid.uuid4().hex[:8]}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    overrides = {"task_always_eager": False, "task_default_queue": queue}
    previous = {key: app.conf[key] for key in overrides}
    app.conf.update(overrides)
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_CONN_MAX_AGE": "0",
    }
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "-Q",
                f"{queue},search",  # its jobs, then the search-document fills imports enqueue
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=environment,
            # A file, not a pipe: nobody reads a pipe while the test waits, and a full one
            # would stop the worker.
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        process.log = output
        try:
            wait_until_ready(process)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
            app.conf.update(previous)
            with app.connection_for_write() as broker:
                for name in (queue, "search"):
                    broker.default_channel.queue_purge(name)


def worker_output(process) -> str:
    process.log.seek(0)
    return process.log.read().decode(errors="replace")[-4000:]


def wait_until_ready(process) -> None:
    """Until the worker consumes its queue: a task sent before would find no one bound to it."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if " ready." in worker_output(process):
            return
        if process.poll() is not None:
            pytest.fail(f"the worker stopped: {worker_output(process)}")
        time.sleep(0.2)
    pytest.fail(f"the worker was not ready within {DEADLINE_SECONDS} s: {worker_output(process)}")


def wait_until_finished(job: Job, process) -> Job:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            return job
        if process.poll() is not None:
            pytest.fail(f"the worker stopped: {worker_output(process)}")
        time.sleep(0.2)
    pytest.fail(
        f"the job did not finish within "
        f"{DEADLINE_SECONDS} s (state {job.state}); "
        f"the worker said: {worker_output(process)}"
    )


def wait_until_state(job: Job, state: str, process) -> Job:
    """Until the job is in `state` (a running one, a previewed import)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state == state:
            return job
        if job.finished or process.poll() is not None:
            pytest.fail(f"the job is {job.state}, not {state}: {worker_output(process)}")
        time.sleep(0.1)
    pytest.fail(f"the job was not {state} within {DEADLINE_SECONDS} s: {worker_output(process)}")


@contextmanager
def audit_chain_locked(study):
    """The study's audit chain head locked by another connection, as a long write would:
    a job that reaches its audit event waits here, mid-run, until the block ends."""
    AuditChainHead.objects.get_or_create(study=study)
    with psycopg.connect(database_url()) as other:
        other.execute(
            "SELECT 1 FROM dyads_auditchainhead WHERE study_id = %s FOR UPDATE", [study.pk]
        )
        yield
        other.rollback()


def kill_worker(process) -> None:
    """kill -9: no chance to finish, acknowledge or reject anything."""
    process.kill()
    process.wait(timeout=10)
