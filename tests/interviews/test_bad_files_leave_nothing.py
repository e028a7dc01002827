"""A bad file is refused wherever it arrives (page, API, command, bulk upload), with a
message naming it and the reason, and the database is left exactly as it was."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from dyads.models import AuditEvent
from interviews.models import (
    ImportBatch,
    ImportJob,
    ImportUpload,
    SpeakerTurn,
    Transcript,
    TranscriptRevision,
)
from tests.conftest import api_as
from tests.interviews import samples
from tests.interviews.test_refusing_bad_files import BAD_FILES

# The refusals the reader makes before anything is stored (the others fail their job).
REFUSED_ON_UPLOAD = [
    "empty",
    "blank",
    "truncated docx",
    "truncated pdf",
    "truncated utf-8",
    "truncated rtf",
    "password-protected docx",
    "password-protected pdf",
    "wrong extension: a pdf called .docx",
    "wrong extension: a docx called .txt",
    "binary",
    "unsupported format",
]
MODELS = [
    ImportUpload,
    ImportJob,
    ImportBatch,
    Transcript,
    TranscriptRevision,
    SpeakerTurn,
    AuditEvent,
]


def rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def client_as(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.mark.parametrize("kind", REFUSED_ON_UPLOAD)
def test_the_import_page_refuses_a_bad_file_and_writes_nothing(cast, client_as, kind, tmp_path):
    name, content, message = BAD_FILES[kind]
    path = tmp_path / name
    path.write_bytes(content)
    before = rows()

    with path.open("rb") as file:
        response = client_as(cast.interviewer).post(
            reverse("import-upload", args=["tcx", cast.therapist_interview.pk]), {"file": file}
        )

    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert rows() == before


@pytest.mark.parametrize("kind", REFUSED_ON_UPLOAD)
def test_the_api_refuses_a_bad_file_and_writes_nothing(cast, kind, tmp_path):
    name, content, message = BAD_FILES[kind]
    path = tmp_path / name
    path.write_bytes(content)
    before = rows()

    with path.open("rb") as file:
        response = api_as(cast.interviewer).post(
            f"/api/v1/interviews/{cast.therapist_interview.pk}/transcripts/",
            {"file": file},
            format="multipart",
        )

    assert response.status_code == 400
    assert message in str(response.json())
    assert rows() == before


@pytest.mark.parametrize("kind", REFUSED_ON_UPLOAD)
def test_the_command_refuses_a_bad_file_and_writes_nothing(cast, kind, tmp_path):
    name, content, message = BAD_FILES[kind]
    path = tmp_path / name
    path.write_bytes(content)
    before = rows()
    err = StringIO()

    with pytest.raises(CommandError, match="1 of 1 files were not imported"):
        call_command(
            "import_transcripts",
            "--study=tcx",
            f"--interview={cast.therapist_interview.pk}",
            str(path),
            stderr=err,
            stdout=StringIO(),
        )

    assert message in err.getvalue()
    assert rows() == before


def test_bulk_upload_keeps_the_good_files_and_lists_the_bad_ones_without_storing_them(cast):
    files = [("good.txt", samples.txt())] + [
        BAD_FILES[kind][:2] for kind in ("empty", "binary", "password-protected pdf")
    ]
    from interviews.services.batches import import_batch_create

    batch = import_batch_create(actor=cast.interviewer, study=cast.study, files=files)

    assert list(batch.uploads.values_list("file_name", flat=True)) == ["good.txt"]
    assert [item["file"] for item in batch.refused] == [
        "interview.txt",
        "interview.txt",
        "interview.pdf",
    ]
    assert batch.refused[2]["reason"].startswith("is password-protected")


def test_a_file_that_fails_in_its_job_leaves_no_transcript_behind(
    cast, django_capture_on_commit_callbacks
):
    from interviews.services.imports import transcript_import

    with django_capture_on_commit_callbacks(execute=True):
        job = transcript_import(
            actor=cast.interviewer,
            interview=cast.therapist_interview,
            file_name="interview.docx",
            content=samples.damaged_docx(),
        )

    assert not Transcript.objects.filter(interview=cast.therapist_interview).exists()
    job.refresh_from_db()
    assert job.state == "failed" and "interview.docx: is damaged" in job.error
