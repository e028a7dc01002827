"""Erasing a participant removes every copy of their words: after it, neither a pg_dump
of the database, nor the media folder, nor a backup made afterwards holds any of them;
and a meeting passage pointing into their transcript does not stop the erasure."""

import hashlib
import io
import os
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.db import connection

from analysis.coding.services.memos import memo_create
from analysis.deliberation.services.meetings import meeting_passage_add
from analysis.exchange.backup import write_backup
from analysis.exchange.models import ExchangeFormat, ExchangeJob, ExchangeKind
from analysis.exchange.services.runner import run_job
from analysis.themes.services.themes import theme_create, theme_quote_add
from dyads.audit import audit_verify
from dyads.jobs import JobState
from interviews.models import ImportJob, ImportUpload, InterviewFocus, InterviewTiming
from interviews.services import interview_create
from tests import factories
from tests.conftest import api_as

WORDS = ("Quillbrook-Farm", "Tindervale", "Marrowgate")
TEXT = (
    "I: Where did you grow up?\n\n"
    "C: At Quillbrook-Farm, near Tindervale. Marrowgate was my school.\n\n"
    "I: And now?\n\n"
    "C: Far away from all that."
)


def erase(cast, participant):
    return api_as(cast.owner).post(
        f"/api/v1/participants/{participant.pk}/erase/",
        {"pseudonym": participant.pseudonym, "reason": "consent_withdrawn"},
        format="json",
    )


def stuck_upload(cast, interview, *, matched: bool) -> ImportUpload:
    """An upload still holding its bytes: matched to the interview, or only through a
    failed import job."""
    content = TEXT.encode()
    checksum = hashlib.sha256(content + str(matched).encode()).hexdigest()
    upload = ImportUpload.objects.create(
        study=cast.study,
        interview=interview if matched else None,
        file_name="P-interview.txt",
        source_format="txt",
        checksum=checksum,
        size=len(content),
        content=content,
        created_by=cast.interviewer,
    )
    if not matched:
        ImportJob.objects.create(
            study=cast.study,
            interview=interview,
            upload=upload,
            file_name=upload.file_name,
            checksum=checksum,
            state=JobState.FAILED,
            error="The worker was lost.",
            created_by=cast.interviewer,
        )
    return upload


def their_words_everywhere(cast):
    """The client's words in a transcript, interview notes, a coding memo, a quote (and
    its decision snapshot), a meeting passage, an export file and two stuck uploads."""
    client = cast.dyad.client
    interview = interview_create(
        actor=cast.owner,
        participant=client,
        sequence_number=2,
        focus=InterviewFocus.BACKGROUND,
        timing=InterviewTiming.AFTER,
        notes="Tindervale came up before the recorder was on.",
    )
    revision = factories.revision_for(interview, text=TEXT)
    code = factories.CodeFactory(study=cast.study, name="Places")
    start = TEXT.index("At Quillbrook")
    coding = factories.CodingFactory(
        revision=revision, code=code, coder=cast.analyst, start=start, end=TEXT.index(" Marrow")
    )
    theme = theme_create(
        actor=cast.owner, study=cast.study, name="Home", codes=[code], rationale="Grounded."
    )
    theme_quote_add(actor=cast.owner, theme=theme, coding=coding, rationale="Vivid.")
    memo_create(
        actor=cast.analyst, study=cast.study, text="Marrowgate: a school again?", coding=coding
    )
    meeting = factories.MeetingFactory(study=cast.study, created_by=cast.owner)
    school = TEXT.index("Marrowgate")
    meeting_passage_add(
        actor=cast.owner,
        meeting=meeting,
        interview=interview,
        revision=revision,
        start=school,
        end=school + 27,
        note="Read aloud: Quillbrook-Farm as home.",
    )
    export = ExchangeJob.objects.create(
        study=cast.study,
        kind=ExchangeKind.EXPORT,
        format=ExchangeFormat.SEGMENTS_CSV,
        created_by=cast.owner,
    )
    run_job(export.pk)
    stuck_upload(cast, interview, matched=True)
    stuck_upload(cast, interview, matched=False)
    return client


def pg_dump() -> str:
    database = connection.settings_dict
    environment = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
    return subprocess.run(
        [
            "pg_dump",
            "--host",
            database["HOST"] or "127.0.0.1",
            "--port",
            str(database["PORT"] or 5432),
            "--username",
            database["USER"],
            database["NAME"],
        ],
        capture_output=True,
        check=True,
        env=environment,
    ).stdout.decode()


def readable(data: bytes) -> str:
    """The bytes as text; a zip (qdpx, xlsx, docx, backup) member by member."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "".join(readable(archive.read(name)) for name in archive.namelist())
    except zipfile.BadZipFile:
        return data.decode("utf-8", errors="replace")


def media_text(root: Path) -> str:
    return "".join(readable(path.read_bytes()) for path in root.rglob("*") if path.is_file())


def hits(text: str) -> dict[str, int]:
    return {word: text.count(word) for word in WORDS if word in text}


pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is PostgreSQL's")


@pytest.mark.django_db(transaction=True)
def test_nothing_of_their_words_survives_in_the_database_media_or_a_later_backup(
    cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = their_words_everywhere(cast)
    assert set(hits(pg_dump())) == set(WORDS)  # the search itself works
    assert set(hits(media_text(tmp_path))) >= {"Quillbrook-Farm", "Tindervale"}

    response = erase(cast, client)

    assert response.status_code == 200, response.data
    assert hits(pg_dump()) == {}
    assert hits(media_text(tmp_path)) == {}
    backup = io.BytesIO()
    write_backup(study=cast.study, out=backup)
    assert hits(readable(backup.getvalue())) == {}
    assert audit_verify(study=cast.study).intact


def test_the_removed_export_says_so(cast, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    client = their_words_everywhere(cast)

    with django_capture_on_commit_callbacks(execute=True):
        assert erase(cast, client).status_code == 200

    export = ExchangeJob.objects.get(study=cast.study, kind=ExchangeKind.EXPORT)
    assert not export.output and "Removed by erasure" in export.error
    assert not list(tmp_path.rglob("*.csv"))


def test_a_meeting_passage_into_their_transcript_does_not_stop_the_erasure(cast):
    meeting = factories.MeetingFactory(study=cast.study, created_by=cast.owner)
    meeting_passage_add(
        actor=cast.owner,
        meeting=meeting,
        interview=cast.client_interview,
        revision=cast.revision,
        start=0,
        end=10,
    )

    response = erase(cast, cast.dyad.client)

    assert response.status_code == 200, response.data
    assert response.data["deleted"]["analysis.meetingpassage"] == 1
