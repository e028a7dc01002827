"""The import pages: upload, a preview with the speakers, the replacements and the
first turns, then the job with a progress bar; or discard."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interviews.models import ImportJob, ImportUpload, TranscriptRevision
from tests import factories
from tests.interviews import samples


@pytest.fixture
def client_as(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def upload(client, interview, name="interview.vtt", content=None):
    content = samples.VTT.encode() if content is None else content
    return client.post(
        reverse("import-upload", args=["tcx", interview.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def confirm(client):
    """Post the preview with the roles it suggests, as the browser does."""
    url = reverse("import-preview", args=["tcx", ImportUpload.objects.get().pk])
    return client.post(url, {"role_0": "interviewer", "role_1": "participant"})


def test_an_upload_leads_to_its_preview(cast, client_as):
    response = upload(client_as(cast.interviewer), cast.therapist_interview)

    upload_row = ImportUpload.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("import-preview", args=["tcx", upload_row.pk])
    assert not ImportJob.objects.exists()


def test_the_preview_shows_the_speakers_the_replacements_and_the_first_turns(
    cast, pseudonyms, client_as
):
    client = client_as(cast.interviewer)
    upload(client, cast.therapist_interview)

    response = client.get(reverse("import-preview", args=["tcx", ImportUpload.objects.get().pk]))

    html = response.content.decode()
    labels = response.context["form"].labels
    assert [(label.label, label.original, label.turns, label.role) for label in labels] == [
        ("Interviewer", "Interviewer", 2, "interviewer"),
        ("[client]", "Kari", 1, "participant"),
    ]
    replaced = {
        (e.original, e.replacement, e.count) for e in response.context["preview"].prepared.replaced
    }
    assert replaced == {
        ("Kari", "[client]", 1),
        ("Åse", "[client's sister]", 1),
        ("Bjørn", "[client's father]", 1),
    }
    assert "My sister [client&#x27;s sister] found it." in html
    assert "Not a speaker (part of the text)" in html


def test_confirming_the_preview_queues_the_job_with_the_chosen_roles(
    cast, pseudonyms, client_as, on_commit
):
    client = client_as(cast.interviewer)
    upload(client, cast.therapist_interview)
    url = reverse("import-preview", args=["tcx", ImportUpload.objects.get().pk])

    with on_commit():
        response = client.post(url, {"role_0": "interviewer", "role_1": "other"})

    job = ImportJob.objects.get()
    assert response.url == reverse("import-job", args=["tcx", job.pk])
    assert job.speaker_roles == {"Interviewer": "interviewer", "[client]": "other"}
    assert list(job.revision.turns.values_list("role", flat=True)) == [
        "interviewer",
        "other",
        "interviewer",
    ]


def test_the_job_page_shows_a_progress_bar_that_a_script_keeps_current(cast, client_as, on_commit):
    client = client_as(cast.interviewer)
    upload(client, cast.therapist_interview)
    with on_commit():
        confirm(client)
    job = ImportJob.objects.get()

    html = client.get(reverse("import-job", args=["tcx", job.pk])).content.decode()

    assert f'data-import-jobs="/api/v1/import-jobs/{job.pk}/"' in html
    assert '<progress max="100" value="100"' in html
    assert "js/import-progress.js" in html


def test_a_file_the_parser_cannot_read_shows_the_reason_on_the_preview(cast, client_as):
    client = client_as(cast.interviewer)
    upload(client, cast.therapist_interview, "interview.docx", samples.damaged_docx())

    response = client.get(reverse("import-preview", args=["tcx", ImportUpload.objects.get().pk]))

    assert (
        "interview.docx: is damaged: it cannot be read as a .docx file" in response.content.decode()
    )


def test_discarding_an_upload_deletes_it_and_imports_nothing(cast, client_as):
    client = client_as(cast.interviewer)
    upload(client, cast.therapist_interview)
    upload_row = ImportUpload.objects.get()

    response = client.post(reverse("import-discard", args=["tcx", upload_row.pk]))

    assert response.url == reverse("interview-detail", args=["tcx", cast.therapist_interview.pk])
    assert not ImportUpload.objects.exists()
    assert not TranscriptRevision.objects.filter(source_name="interview.vtt").exists()


def test_only_the_uploader_and_the_owners_who_review_it_see_an_upload(cast, client_as):
    upload(client_as(cast.owner), cast.therapist_interview)
    other_interviewer = factories.UserFactory(username="interviewer2")
    factories.MembershipFactory(study=cast.study, user=other_interviewer, role="interviewer")
    url = reverse("import-preview", args=["tcx", ImportUpload.objects.get().pk])

    assert client_as(other_interviewer).get(url).status_code == 404
    assert client_as(cast.owner).get(url).status_code == 200


@pytest.mark.parametrize("role, status", [("analyst", 403), ("auditor", 403), ("outsider", 404)])
def test_other_roles_cannot_open_the_import_page(cast, client_as, role, status):
    response = client_as(cast.user(role)).get(
        reverse("import-upload", args=["tcx", cast.therapist_interview.pk])
    )

    assert response.status_code == status


def test_the_interview_page_links_importers_to_the_import_and_lists_recent_imports(
    cast, client_as, on_commit
):
    client = client_as(cast.interviewer)
    upload(client, cast.therapist_interview)
    with on_commit():
        confirm(client)

    html = client.get(
        reverse("interview-detail", args=["tcx", cast.therapist_interview.pk])
    ).content.decode()
    analyst_html = (
        client_as(cast.analyst)
        .get(reverse("interview-detail", args=["tcx", cast.therapist_interview.pk]))
        .content.decode()
    )

    assert reverse("import-upload", args=["tcx", cast.therapist_interview.pk]) in html
    assert "interview.vtt</a> — Succeeded" in html
    assert reverse("import-upload", args=["tcx", cast.therapist_interview.pk]) not in analyst_html
