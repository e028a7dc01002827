"""A real Celery worker, on Redis and the test database, imports a transcript end to end."""

import time

import pytest
from django.conf import settings as django_settings
from django.db import connection

from analysis.coding.selectors.search import transcript_search
from interviews.models import ImportState
from interviews.services.imports import transcript_import
from tests.interviews import samples
from tests.workers import DEADLINE_SECONDS, wait_until_finished, worker_output

pytestmark = pytest.mark.worker


def test_a_worker_imports_a_docx_through_redis_and_postgresql(
    transactional_db, worker, cast, pseudonyms
):
    # transactional_db: the worker must see the committed rows, and the enqueue runs on commit.
    job = transcript_import(
        actor=cast.interviewer,
        interview=cast.therapist_interview,
        file_name="interview.docx",
        content=samples.make_docx(),
    )

    job = wait_until_finished(job, worker)
    assert job.state == ImportState.SUCCEEDED, job.error
    assert job.progress == 100
    assert job.revision.turns.count() == 4
    assert "[client's sister]" in job.revision.text
    assert django_settings.CELERY_TASK_ACKS_LATE
    wait_until_searchable(job.revision, worker)
    assert [hit.revision for hit in transcript_search(study=cast.study, query="sister").hits] == [
        job.revision.pk
    ]


def wait_until_searchable(revision, process) -> None:
    """Until the fill the import enqueued, on the search queue, has computed its document."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT search_document IS NOT NULL FROM interviews_transcriptrevision "
                "WHERE id = %s",
                [revision.pk],
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.2)
    pytest.fail(f"no search document after {DEADLINE_SECONDS} s: {worker_output(process)}")
