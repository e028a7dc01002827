"""POST /api/v1/studies/{id}/transcript-batches/: many files, or one .zip, in one request,
each matched to its interview by the pattern and imported by its own job."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from interviews.models import ImportBatch, ImportJob, ImportUpload
from tests.conftest import api_as
from tests.interviews import samples

URL = "/api/v1/studies/{}/transcript-batches/"


def post(user, study, files, **data):
    uploads = [SimpleUploadedFile(name, content) for name, content in files]
    return api_as(user).post(URL.format(study.pk), {"files": uploads, **data}, format="multipart")


def zipped(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files:
            archive.writestr(name, content)
    return out.getvalue()


def test_many_files_are_matched_and_imported_in_one_request(cast, on_commit):
    files = [
        ("dyad01_therapist_interview1.txt", samples.txt()),
        ("dyad01_client_interview1.docx", samples.make_docx()),
        ("notes.txt", b"I: not an interview\n"),
    ]
    with on_commit():
        response = post(cast.interviewer, cast.study, files)

    assert response.status_code == 202, response.content
    body = response.json()
    assert {(job["file_name"], job["interview"]) for job in body["jobs"]} == {
        ("dyad01_therapist_interview1.txt", cast.therapist_interview.pk),
        ("dyad01_client_interview1.docx", cast.client_interview.pk),
    }
    assert set(ImportJob.objects.filter(batch=body["batch"]).values_list("state", flat=True)) == {
        "succeeded"
    }
    assert cast.therapist_interview.transcript.current_revision is not None


def test_one_zip_is_unpacked(cast, on_commit):
    archive = zipped([("all/dyad01_client_interview1.txt", samples.txt())])
    with on_commit():
        response = post(cast.interviewer, cast.study, [("all.zip", archive)])

    assert response.status_code == 202, response.content
    [job] = response.json()["jobs"]
    assert (job["file_name"], job["interview"]) == (
        "dyad01_client_interview1.txt",
        cast.client_interview.pk,
    )


def test_a_pattern_no_file_fits_keeps_nothing(cast):
    response = post(
        cast.interviewer,
        cast.study,
        [("dyad01_client_interview1.txt", samples.txt())],
        pattern="{dyad}-{number}",
    )

    assert response.status_code == 400
    assert "pattern" in response.json()
    assert not ImportBatch.objects.exists() and not ImportUpload.objects.exists()


def test_no_files_is_refused_by_name(cast):
    response = api_as(cast.interviewer).post(URL.format(cast.study.pk), {}, format="multipart")

    assert response.status_code == 400
    assert "files" in response.json()


def test_an_analyst_may_not_import(cast):
    response = post(cast.analyst, cast.study, [("dyad01_client_interview1.txt", samples.txt())])

    assert response.status_code == 403
    assert not ImportBatch.objects.exists()
