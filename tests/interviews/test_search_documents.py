"""A revision's full-text document is computed after its import has committed, by one
queued fill for many revisions; search finds a revision whose document is still pending."""

import pytest
from django.db import connection

from analysis.coding.selectors.search import transcript_search
from interviews.models import ImportJob, TranscriptRevision
from interviews.services.imports import transcript_import
from interviews.services.search_documents import search_documents_fill
from interviews.tasks import search_documents_fill_task
from tests.factories import InterviewFactory, revision_for
from tests.interviews import samples

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="search documents are PostgreSQL's"
)


def pending(*revisions: TranscriptRevision) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM interviews_transcriptrevision "
            "WHERE id = ANY(%s) AND search_document IS NULL",
            [[revision.pk for revision in revisions]],
        )
        return {row[0] for row in cursor.fetchall()}


def import_text(cast, interview, text: str = samples.TEXT) -> ImportJob:
    """The queued job; it runs, with what its commit enqueues, when `on_commit` ends."""
    return transcript_import(
        actor=cast.owner, interview=interview, file_name="t.txt", content=text.encode()
    )


def revision_of(job: ImportJob) -> TranscriptRevision:
    return ImportJob.objects.get(pk=job.pk).revision


def test_an_import_commits_before_its_search_document_is_computed(cast, on_commit, monkeypatch):
    fills = []
    monkeypatch.setattr(search_documents_fill_task, "delay", lambda: fills.append(1))
    with on_commit():
        job = import_text(cast, cast.therapist_interview, "I: Hello?\n\nT: The lighthouse.")

    revision = revision_of(job)
    assert fills == [1]
    assert pending(revision) == {revision.pk}


def test_search_finds_a_transcript_whose_document_is_still_pending(cast):
    revision = revision_for(cast.therapist_interview, text="I: And then?\n\nT: The lighthouse.")
    assert pending(revision) == {revision.pk}

    hits = transcript_search(study=cast.study, query="lighthouse").hits

    assert [hit.revision for hit in hits] == [revision.pk]


def test_the_fill_computes_every_pending_document_in_batches(cast):
    revisions = [
        revision_for(InterviewFactory(participant__study=cast.study), text=f"I: Word {n}?")
        for n in range(5)
    ]

    assert search_documents_fill(batch=2) == 6  # the cast's own transcript as well

    assert pending(*revisions) == set()
    assert search_documents_fill(batch=2) == 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_document::text FROM interviews_transcriptrevision WHERE id = %s",
            [revisions[3].pk],
        )
        assert cursor.fetchone()[0] == "'3':3 'i':1 'word':2"


def test_a_filled_document_answers_the_search(cast):
    revision = revision_for(cast.therapist_interview, text="I: And then?\n\nT: The lighthouse.")
    search_documents_fill()

    assert [
        hit.revision for hit in transcript_search(study=cast.study, query="lighthouse").hits
    ] == [revision.pk]
    assert transcript_search(study=cast.study, query="harbour").hits == []


def test_one_fill_waits_in_the_queue_for_a_whole_bulk_import(cast, on_commit, monkeypatch):
    fills = []
    monkeypatch.setattr(search_documents_fill_task, "delay", lambda: fills.append(1))
    interviews = [InterviewFactory(participant__study=cast.study) for _ in range(3)]
    with on_commit():
        jobs = [import_text(cast, interview) for interview in interviews]

    imported = [revision_of(job) for job in jobs]
    assert len(fills) == 1
    assert pending(*imported) == {revision.pk for revision in imported}

    search_documents_fill_task.apply()  # the queued fill runs: the next import queues another
    with on_commit():
        import_text(cast, cast.therapist_interview)

    assert len(fills) == 2
