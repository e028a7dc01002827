"""Bulk import: many files or a zip, matched to interviews by a file-name pattern the
user confirms, one job per file, and a summary table after."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dyads.exceptions import DomainError
from interviews.models import ImportBatch, ImportJob
from interviews.services.batches import import_batch_confirm, import_batch_create
from tests.interviews import samples


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.fixture
def named(cast):
    """The cast's dyad is "Dyad 1"; its therapist and client each have interview 1."""
    return {
        "dyad01_therapist_interview1.txt": samples.txt(),
        "dyad01_client_interview1.docx": samples.make_docx(),
    }


def test_a_zip_is_unpacked_and_its_files_matched_by_the_pattern(cast, named, on_commit):
    content = zipped(
        {f"transcripts/{name}": data for name, data in named.items()}
        | {
            "__MACOSX/._dyad01_client_interview1.docx": b"junk",
            "transcripts/": b"",
        }
    )
    batch = import_batch_create(
        actor=cast.interviewer, study=cast.study, files=[("all.zip", content)]
    )

    with on_commit():
        jobs = import_batch_confirm(
            actor=cast.interviewer, batch=batch, pattern="dyad{dyad}_{role}_interview{number}"
        )

    assert {(job.file_name, job.interview) for job in jobs} == {
        ("dyad01_therapist_interview1.txt", cast.therapist_interview),
        ("dyad01_client_interview1.docx", cast.client_interview),
    }
    assert {job.state for job in ImportJob.objects.filter(batch=batch)} == {"succeeded"}


def test_files_that_match_no_interview_are_left_out(cast, named, on_commit):
    files = [
        *named.items(),
        ("dyad07_client_interview1.txt", samples.txt()),
        ("notes.txt", samples.txt()),
    ]
    batch = import_batch_create(actor=cast.interviewer, study=cast.study, files=files)

    with on_commit():
        jobs = import_batch_confirm(
            actor=cast.interviewer, batch=batch, pattern="dyad{dyad}_{role}_interview{number}"
        )

    assert len(jobs) == 2


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("{who}_{number}", "{who} is not a placeholder"),
        ("interview", "The pattern needs at least one of"),
        ("{number}_{number}", "{number} appears twice."),
        ("nothing{number}", "No file matches an interview with this pattern."),
    ],
)
def test_a_pattern_that_cannot_work_is_refused_and_nothing_is_queued(cast, named, pattern, message):
    batch = import_batch_create(actor=cast.interviewer, study=cast.study, files=list(named.items()))

    with pytest.raises(DomainError, match=message.replace("{", r"\{").replace("}", r"\}")):
        import_batch_confirm(actor=cast.interviewer, batch=batch, pattern=pattern)

    assert not ImportJob.objects.exists()


@pytest.fixture
def client_as(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def test_the_pages_show_the_matches_then_a_summary_table_that_polls_the_jobs(
    cast, named, client_as, on_commit
):
    client = client_as(cast.interviewer)
    response = client.post(
        reverse("import-batch-upload", args=["tcx"]),
        {"files": [SimpleUploadedFile(name, data) for name, data in named.items()]},
    )
    batch = ImportBatch.objects.get()
    assert response.url == reverse("import-batch", args=["tcx", batch.pk])

    preview = client.get(response.url).content.decode()
    assert f"{cast.dyad.therapist.pseudonym}, interview 1 (Dyad 1)" in preview

    with on_commit():
        client.post(response.url, {"pattern": "dyad{dyad}_{role}_interview{number}"})
    summary = client.get(response.url).content.decode()

    assert f"?batch={batch.pk}&amp;page_size=500" in summary
    assert summary.count('class="job-progress job-succeeded"') == 2


def test_another_users_batch_is_not_found(cast, named, client_as):
    batch = import_batch_create(actor=cast.interviewer, study=cast.study, files=list(named.items()))

    response = client_as(cast.owner).get(reverse("import-batch", args=["tcx", batch.pk]))

    assert response.status_code == 404


def test_the_matches_say_what_a_file_over_a_coded_transcript_does_to_its_codings(
    cast, named, client_as
):
    from tests.factories import CodingFactory

    CodingFactory(revision=cast.revision, coder=cast.analyst, start=0, end=4)
    batch = import_batch_create(actor=cast.interviewer, study=cast.study, files=list(named.items()))

    page = client_as(cast.interviewer).get(
        reverse("import-batch", args=["tcx", batch.pk]),
        {"pattern": "dyad{dyad}_{role}_interview{number}"},
    )

    impacts = page.context["matches"]
    by_file = {match.file_name: impact for match, impact in impacts}
    assert by_file["dyad01_therapist_interview1.txt"] == []
    assert by_file["dyad01_client_interview1.docx"][0].startswith(
        "This transcript has 1 coding by 1 coder: "
    )
    assert "This transcript has 1 coding by 1 coder" in page.content.decode()
