"""POST /api/v1/interviews/{id}/transcripts/ queues an import job (202), and
GET /api/v1/import-jobs/{id}/ reads its state."""

import json

import pytest

from interviews.models import ImportJob
from tests.conftest import api_as
from tests.interviews import samples


def post(user, interview, content=None, name="interview.txt", **data):
    return api_as(user).post(
        f"/api/v1/interviews/{interview.pk}/transcripts/",
        {"file": samples_file(name, content), **data},
        format="multipart",
    )


def samples_file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, samples.txt() if content is None else content)


def test_it_answers_202_with_the_job_and_the_job_runs(cast, pseudonyms, on_commit):
    with on_commit():
        response = post(cast.interviewer, cast.therapist_interview)

    assert response.status_code == 202
    body = response.json()
    assert {"id", "state", "progress", "error"} <= set(body)
    assert body["state"] == "queued" and body["file_name"] == "interview.txt"
    job = api_as(cast.interviewer).get(f"/api/v1/import-jobs/{body['id']}/").json()
    assert (job["state"], job["progress"], job["error"]) == ("succeeded", 100, "")
    transcript = api_as(cast.analyst).get(
        f"/api/v1/transcripts/{cast.therapist_interview.transcript.pk}/"
    )
    assert "[client's sister]" in transcript.json()["revision"]["text"]


def test_speaker_roles_are_given_as_json_with_the_labels_of_the_file(cast, pseudonyms, on_commit):
    roles = json.dumps({"I": "interviewer", "C": "other"})

    with on_commit():
        body = post(cast.owner, cast.therapist_interview, speaker_roles=roles).json()

    revision = ImportJob.objects.get(pk=body["id"]).revision
    assert list(revision.turns.values_list("role", flat=True).distinct().order_by("role")) == [
        "interviewer",
        "other",
    ]


def test_an_unknown_role_is_refused_naming_the_speaker(cast):
    response = post(cast.owner, cast.therapist_interview, speaker_roles='{"C": "client"}')

    assert response.status_code == 400
    assert "Speaker 'C': 'client' is not a role" in response.json()["speaker_roles"]
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("role, status", [("analyst", 403), ("auditor", 403), ("outsider", 404)])
def test_other_roles_may_not_import(cast, role, status):
    response = post(cast.user(role), cast.therapist_interview)

    assert response.status_code == status
    assert not ImportJob.objects.exists()


def test_jobs_are_listed_by_interview_state_and_batch_to_members_only(cast, on_commit):
    with on_commit():
        post(cast.interviewer, cast.therapist_interview)

    mine = api_as(cast.analyst).get(f"/api/v1/import-jobs/?interview={cast.therapist_interview.pk}")
    theirs = api_as(cast.outsider).get("/api/v1/import-jobs/")

    assert [job["state"] for job in mine.json()["results"]] == ["succeeded"]
    assert theirs.json()["count"] == 0


def test_the_job_list_answers_in_a_bounded_number_of_queries(
    cast, on_commit, django_assert_max_num_queries
):
    for number in range(5):
        with on_commit():
            post(cast.interviewer, cast.therapist_interview, content=f"I: {number}".encode())

    with django_assert_max_num_queries(6):
        response = api_as(cast.interviewer).get("/api/v1/import-jobs/?page_size=500")

    assert response.json()["count"] == 5
