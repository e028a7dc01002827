"""An import job parses, pseudonymises and stores a transcript revision with its turns,
all in one transaction, once per file, and records a bad file's reason on the job."""

import pytest
from celery.exceptions import Retry
from django.db import OperationalError, connection

from dyads.jobs import MAX_RETRIES
from dyads.models import AuditEvent
from interviews.models import ImportJob, ImportState, ImportUpload, SpeakerRole, TranscriptRevision
from interviews.services.imports import (
    PROGRESS_EVERY,
    _progress,
    import_job_run,
    transcript_import,
)
from interviews.tasks import import_job_process
from tests.interviews import samples


def queue(cast, content=None, name="interview.docx", **kwargs) -> ImportJob:
    return transcript_import(
        actor=cast.interviewer,
        interview=cast.therapist_interview,
        file_name=name,
        content=samples.make_docx() if content is None else content,
        **kwargs,
    )


def test_a_queued_job_runs_on_commit_and_stores_the_pseudonymised_revision(
    cast, pseudonyms, on_commit
):
    with on_commit():
        job = queue(cast)

    job.refresh_from_db()
    assert (job.state, job.progress, job.error) == (ImportState.SUCCEEDED, 100, "")
    revision = job.revision
    assert revision.transcript.interview == cast.therapist_interview
    assert revision.transcript.current_revision == revision
    assert "[client's sister]" in revision.text and "[town]" in revision.text
    for name in ("Åse", "Bjørn", "Førde", "Ingrid"):
        assert name not in revision.text
    assert revision.original_text == ""
    assert (revision.source_name, revision.source_format) == ("interview.docx", "docx")
    assert job.report == [
        {"replacement": "[therapist]", "count": 2},
        {"replacement": "[town]", "count": 1},
        {"replacement": "[client's sister]", "count": 1},
        {"replacement": "[client's father]", "count": 1},
    ]


def test_the_turns_fit_the_pseudonymised_text_and_carry_their_roles(cast, pseudonyms, on_commit):
    with on_commit():
        job = queue(cast)

    revision = ImportJob.objects.get(pk=job.pk).revision
    turns = list(revision.turns.order_by("index"))
    assert [(t.speaker, t.role) for t in turns] == [
        ("I", SpeakerRole.INTERVIEWER),
        ("C", SpeakerRole.PARTICIPANT),
        ("I", SpeakerRole.INTERVIEWER),
        ("C", SpeakerRole.PARTICIPANT),
    ]
    assert revision.text[turns[2].start : turns[2].end] == "I: And [therapist] was your therapist?"
    assert revision.text[turns[3].start : turns[3].end] == "C: Yes. [therapist] was kind."


def test_speaker_labels_that_are_names_are_pseudonymised_and_mapped_as_given(
    cast, pseudonyms, on_commit
):
    with on_commit():
        job = queue(
            cast,
            samples.VTT.encode(),
            name="interview.vtt",
            speaker_roles={"Interviewer": "interviewer", "Kari": "participant"},
        )

    revision = ImportJob.objects.get(pk=job.pk).revision
    turns = list(revision.turns.order_by("index"))
    assert [(t.speaker, t.role, t.t_start, t.t_end) for t in turns] == [
        ("Interviewer", SpeakerRole.INTERVIEWER, 1000, 4500),
        ("[client]", SpeakerRole.PARTICIPANT, 5000, 12000),
        ("Interviewer", SpeakerRole.INTERVIEWER, 62000, 65000),
    ]
    assert job.speaker_roles == {"Interviewer": "interviewer", "[client]": "participant"}


def test_a_label_marked_as_text_joins_the_turn_before_it(cast, on_commit):
    content = b"I: What did you say?\n\nC: Well.\n\nNote: this was said quietly.\n\nI: Thanks."

    with on_commit():
        job = queue(cast, content, name="t.txt", speaker_roles={"Note": "text"})

    revision = ImportJob.objects.get(pk=job.pk).revision
    turns = list(revision.turns.order_by("index"))
    assert [t.speaker for t in turns] == ["I", "C", "I"]
    assert revision.text[turns[1].start : turns[1].end] == (
        "C: Well.\n\nNote: this was said quietly."
    )


def test_the_original_text_is_kept_only_if_the_owner_allows_it(cast, pseudonyms, on_commit):
    cast.study.store_original_text = True
    cast.study.save()

    with on_commit():
        job = queue(cast)

    revision = ImportJob.objects.get(pk=job.pk).revision
    assert "Ingrid Solheim" in revision.original_text
    assert "Ingrid" not in revision.text


def test_the_upload_is_deleted_when_the_job_ends(cast, on_commit):
    with on_commit():
        job = queue(cast)

    job.refresh_from_db()
    assert job.state == ImportState.SUCCEEDED
    assert job.upload is None and not ImportUpload.objects.exists()


def test_the_same_file_on_the_same_interview_makes_no_second_revision(cast, on_commit):
    content = samples.make_docx()
    with on_commit():
        first = queue(cast, content)
    with on_commit():
        second = queue(cast, content)

    second.refresh_from_db()
    assert second.state == ImportState.SUCCEEDED and second.already_imported
    assert second.revision == ImportJob.objects.get(pk=first.pk).revision
    assert (
        TranscriptRevision.objects.filter(transcript__interview=cast.therapist_interview).count()
        == 1
    )


def test_a_file_queued_twice_before_it_runs_is_one_job(cast):
    content = samples.make_docx()
    first = queue(cast, content)
    second = queue(cast, content)

    assert first == second
    assert ImportJob.objects.filter(interview=cast.therapist_interview).count() == 1


def test_a_duplicated_task_does_nothing_twice(cast):
    job = queue(cast)

    import_job_process.apply(args=[job.pk], task_id=str(job.task_id))
    import_job_process.apply(args=[job.pk], task_id="another-delivery")
    assert import_job_run(job_id=job.pk) is None

    assert (
        TranscriptRevision.objects.filter(transcript__interview=cast.therapist_interview).count()
        == 1
    )
    assert AuditEvent.objects.filter(action="transcript.add_revision").count() == 1


def test_a_task_redelivered_after_its_worker_was_lost_takes_its_job_back(cast):
    job = queue(cast)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.RUNNING, progress=40)

    import_job_process.apply(args=[job.pk], task_id=str(job.task_id))

    job.refresh_from_db()
    assert job.state == ImportState.SUCCEEDED


def test_a_file_that_cannot_be_parsed_fails_the_job_with_the_reason_and_stores_nothing(
    cast, on_commit
):
    broken = samples.damaged_docx()

    with on_commit():
        job = queue(cast, broken)

    job.refresh_from_db()
    assert job.state == ImportState.FAILED
    assert job.error.startswith("interview.docx: is damaged: it cannot be read as a .docx file")
    assert job.revision is None and job.upload is None
    assert not ImportUpload.objects.exists()
    assert not TranscriptRevision.objects.filter(
        transcript__interview=cast.therapist_interview
    ).exists()
    assert AuditEvent.objects.filter(action="import.fail").count() == 1


def test_a_job_whose_importer_lost_the_role_fails_without_storing(cast, on_commit):
    job = queue(cast)
    cast.interviewer.memberships.update(role="analyst")

    import_job_process.apply(args=[job.pk], task_id=str(job.task_id))

    job.refresh_from_db()
    assert job.state == ImportState.FAILED
    assert "analyst may not import transcripts" in job.error
    assert not TranscriptRevision.objects.filter(
        transcript__interview=cast.therapist_interview
    ).exists()


def test_a_transient_database_error_is_retried_with_back_off(cast, monkeypatch):
    job = queue(cast)
    retries = []

    def unreachable(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("interviews.tasks.import_job_run", unreachable)
    monkeypatch.setattr(import_job_process, "retry", lambda **kw: retries.append(kw) or Retry())

    with pytest.raises(Retry):
        import_job_process(job.pk)

    assert [kw["countdown"] for kw in retries] == [1]
    job.refresh_from_db()
    assert job.state == ImportState.QUEUED


def test_a_job_still_failing_after_its_retries_is_marked_failed(cast, monkeypatch):
    job = queue(cast)

    def unreachable(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("interviews.tasks.import_job_run", unreachable)

    import_job_process.apply(args=[job.pk], task_id=str(job.task_id), retries=MAX_RETRIES)

    job.refresh_from_db()
    assert job.state == ImportState.FAILED
    assert job.error == "The database could not be reached; try the import again later."


def test_progress_is_written_as_the_stages_complete(cast, monkeypatch):
    job = queue(cast)
    seen = []
    monkeypatch.setattr(
        "interviews.services.imports._progress",
        lambda job_id: lambda percent: seen.append(percent),
    )

    import_job_run(job_id=job.pk, task_id=str(job.task_id))

    assert seen == [40, 70]
    job.refresh_from_db()
    assert job.progress == 100


def test_a_stage_is_written_once_the_last_write_is_old_enough_for_the_page_to_show_it(
    cast, monkeypatch
):
    job = queue(cast)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.RUNNING, progress=5)
    now = [1000.0]
    monkeypatch.setattr("dyads.jobs.time.monotonic", lambda: now[0])
    write = _progress(job.pk)

    write(40)
    assert ImportJob.objects.get(pk=job.pk).progress == 5
    now[0] += PROGRESS_EVERY
    write(70)
    assert ImportJob.objects.get(pk=job.pk).progress == 70
    write(90)
    assert ImportJob.objects.get(pk=job.pk).progress == 70


@pytest.mark.parametrize("role", ["owner", "interviewer"])
def test_owners_and_interviewers_may_import(cast, role, on_commit):
    with on_commit():
        job = transcript_import(
            actor=cast.user(role),
            interview=cast.therapist_interview,
            file_name="t.txt",
            content=samples.txt(),
        )

    job.refresh_from_db()
    assert job.state == ImportState.SUCCEEDED


FILES = {
    "txt": lambda: samples.txt(encoding="utf-16"),
    "docx": samples.make_docx,
    "odt": samples.make_odt,
    "rtf": samples.make_rtf,
    "pdf": samples.make_pdf,
    "vtt": lambda: samples.VTT.encode(),
    "srt": lambda: samples.SRT.encode(),
}


@pytest.mark.parametrize("fmt", list(FILES))
def test_every_format_is_stored_pseudonymised_with_its_turns(cast, pseudonyms, on_commit, fmt):
    with on_commit():
        job = queue(cast, FILES[fmt](), name=f"interview.{fmt}")

    job.refresh_from_db()
    assert job.state == ImportState.SUCCEEDED, job.error
    revision = job.revision
    assert revision.source_format == fmt
    assert "[client's sister]" in revision.text
    for name in ("Åse", "Bjørn", "Kari", "Ingrid"):
        assert name not in revision.text
    turns = list(revision.turns.order_by("index"))
    assert len(turns) >= 2
    assert all(revision.text[t.start : t.end].strip() for t in turns)
    if fmt in ("vtt", "srt"):
        assert turns[1].t_start == 5000


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_turns_are_stored_with_their_times_by_copy_or_by_the_orm(
    cast, on_commit, monkeypatch, vendor
):
    # PostgreSQL takes the turns by COPY; SQLite (the demo) through the ORM.
    monkeypatch.setattr(connection, "vendor", vendor)
    with on_commit():
        job = queue(cast, samples.VTT.encode(), name="interview.vtt")

    revision = ImportJob.objects.get(pk=job.pk).revision
    turns = list(revision.turns.order_by("index"))
    assert [(t.index, t.speaker, t.role, t.t_start, t.t_end) for t in turns] == [
        (0, "Interviewer", SpeakerRole.INTERVIEWER, 1000, 4500),
        (1, "Kari", SpeakerRole.PARTICIPANT, 5000, 12000),
        (2, "Interviewer", SpeakerRole.INTERVIEWER, 62000, 65000),
    ]
    assert revision.text[turns[1].start : turns[1].end] == (
        "[00:00:05] Kari: My sister Åse found it. Bjørn drove me there."
    )
