"""The import preview lists what will be replaced, near misses and possible names not on the
list; a study that holds imports (the default) waits for an owner's review of them; the
upload can be discarded; no preview answers 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyads.models import AuditEvent
from dyads.services import study_create
from interviews.models import ImportJob, ImportUpload, PseudonymReplacement
from interviews.services.pseudonyms import replacement_create
from tests.conftest import api_as

NAMED = "I: Where did you live?\n\nC: In Sogndal, with Magnus and Bjørn. Then Åse came.\n"
NEAR = "I: Who helped?\n\nC: It was Ingrids idea, and Ingri agreed.\n"


@pytest.fixture
def held(cast):
    cast.study.require_name_review = True
    cast.study.save(update_fields=["require_name_review"])
    return cast


@pytest.fixture
def client_as(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def upload(client, cast, text=NAMED):
    client.post(
        reverse("import-upload", args=["tcx", cast.therapist_interview.pk]),
        {"file": SimpleUploadedFile("interview.txt", text.encode())},
    )
    return ImportUpload.objects.latest("pk")


def preview_url(upload_row):
    return reverse("import-preview", args=["tcx", upload_row.pk])


def test_a_new_study_holds_imports_for_review(cast):
    study = study_create(actor=cast.owner, title="New", slug="new-study")

    assert study.require_name_review is True


def test_a_near_miss_of_a_listed_name_is_shown_not_a_server_error(held, client_as):
    replacement_create(actor=held.owner, study=held.study, original="Ingrid", replacement="[t]")
    client = client_as(held.interviewer)
    row = upload(client, held, NEAR)

    response = client.get(preview_url(row))

    assert response.status_code == 200
    near = response.context["preview"].file.near_misses
    assert [(f.word, f.count) for f in near] == [("Ingri", 1), ("Ingrids", 1)]
    assert "close to “Ingrid” on the list" in response.content.decode()


def test_names_not_on_an_empty_list_are_listed_and_hold_the_import(held, client_as):
    client = client_as(held.interviewer)
    row = upload(client, held)

    page = client.get(preview_url(row))
    refused = client.post(preview_url(row), {"role_0": "interviewer", "role_1": "participant"})

    words = [f.word for f in page.context["preview"].file.candidates]
    assert sorted(words) == ["Bjørn", "Magnus", "Sogndal", "Åse"]
    assert page.context["preview"].held_for_review
    assert 'disabled aria-describedby="held"' in page.content.decode()
    assert refused.status_code == 200
    assert "An owner must review them" in refused.content.decode()
    assert not ImportJob.objects.exists()


def test_after_an_owners_review_the_interviewer_imports(held, client_as, on_commit):
    row = upload(client_as(held.interviewer), held)
    owner = client_as(held.owner)
    assert owner.get(reverse("pseudonyms", args=["tcx"])).context["awaiting_review"][0] == row

    owner.post(reverse("import-names-review", args=["tcx", row.pk]))
    interviewer = client_as(held.interviewer)
    with on_commit():
        response = interviewer.post(
            preview_url(row), {"role_0": "interviewer", "role_1": "participant"}
        )

    assert response.status_code == 302
    assert ImportJob.objects.get().state == "succeeded"
    assert not ImportUpload.objects.filter(pk=row.pk).exists()  # gone once its job ended
    event = AuditEvent.objects.get(action="import.names_review")
    assert event.actor == held.owner
    assert "Magnus" not in str(event.new_value)


def test_an_interviewer_may_not_mark_the_names_reviewed(held, client_as):
    client = client_as(held.interviewer)
    row = upload(client, held)

    response = client.post(reverse("import-names-review", args=["tcx", row.pk]))

    assert response.status_code == 403
    row.refresh_from_db()
    assert row.names_reviewed_at is None


def test_an_owner_adds_a_candidate_to_the_list_from_the_preview(held, client_as):
    client = client_as(held.owner)
    row = upload(client, held)

    client.post(
        reverse("import-name-add", args=["tcx", row.pk]),
        {"original": "Magnus", "replacement": "[brother]"},
    )
    page = client.get(preview_url(row))

    assert PseudonymReplacement.objects.get().original == "Magnus"
    assert ("Magnus", "[brother]", 1) in {
        (e.original, e.replacement, e.count) for e in page.context["preview"].prepared.replaced
    }
    assert "Magnus" not in [f.word for f in page.context["preview"].file.candidates]


def test_an_interviewer_proposes_a_candidate_and_nothing_is_added(held, client_as):
    client = client_as(held.interviewer)
    row = upload(client, held)

    client.post(reverse("import-name-add", args=["tcx", row.pk]), {"original": "Magnus"})

    assert not PseudonymReplacement.objects.exists()
    assert held.study.pseudonym_proposals.get().original == "Magnus"


def test_a_blank_name_from_the_preview_is_refused_with_a_message(held, client_as):
    client = client_as(held.owner)
    row = upload(client, held)

    response = client.post(
        reverse("import-name-add", args=["tcx", row.pk]),
        {"original": "Magnus", "replacement": " "},
        follow=True,
    )

    assert "Replace with: This field is required." in response.content.decode()
    assert not PseudonymReplacement.objects.exists()


def test_the_upload_can_be_discarded_from_the_preview(held, client_as):
    client = client_as(held.interviewer)
    row = upload(client, held, NEAR)

    page = client.get(preview_url(row))
    client.post(reverse("import-discard", args=["tcx", row.pk]))

    assert reverse("import-discard", args=["tcx", row.pk]) in page.content.decode()
    assert not ImportUpload.objects.exists()


def test_the_api_preview_lists_the_names_and_stores_nothing(held):
    replacement_create(actor=held.owner, study=held.study, original="Ingrid", replacement="[t]")

    response = api_as(held.interviewer).post(
        f"/api/v1/interviews/{held.therapist_interview.pk}/preview/",
        {"file": SimpleUploadedFile("t.txt", (NAMED + NEAR).encode())},
        format="multipart",
    )

    body = response.json()
    assert response.status_code == 200
    assert [f["word"] for f in body["near_misses"]] == ["Ingri", "Ingrids"]
    assert {f["word"] for f in body["name_candidates"]} == {"Bjørn", "Magnus", "Sogndal", "Åse"}
    assert body["held_for_review"] is True
    assert not ImportUpload.objects.exists()


def test_the_api_preview_names_a_bad_file(held):
    response = api_as(held.interviewer).post(
        f"/api/v1/interviews/{held.therapist_interview.pk}/preview/",
        {"file": SimpleUploadedFile("t.docx", b"not a docx")},
        format="multipart",
    )

    assert response.status_code == 400
    assert "t.docx" in str(response.json())


def test_the_api_import_holds_an_interviewers_file_and_takes_an_owners_word(held):
    url = f"/api/v1/interviews/{held.therapist_interview.pk}/transcripts/"

    def post(user, **extra):
        file = SimpleUploadedFile("t.txt", NAMED.encode())
        return api_as(user).post(url, {"file": file, **extra}, format="multipart")

    held_back = post(held.interviewer)
    not_allowed = post(held.interviewer, names_reviewed=True)
    vouched = post(held.owner, names_reviewed=True)

    assert held_back.status_code == 400 and "names" in held_back.json()
    assert not_allowed.status_code == 403
    assert vouched.status_code == 202


texts = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=300)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=texts,
    originals=st.lists(
        st.text(st.characters(max_codepoint=0x24F, exclude_categories=("Cc",)), max_size=10),
        max_size=4,
        unique_by=lambda original: original.strip().lower(),
    ),
)
def test_no_preview_answers_500_whatever_the_file_and_the_list(held, client_as, text, originals):
    PseudonymReplacement.objects.all().delete()
    for number, original in enumerate(originals):
        if original.strip():
            PseudonymReplacement.objects.create(
                study=held.study,
                original=original,
                replacement=f"[{number}]",
                created_by=held.owner,
            )
    client = client_as(held.owner)
    row = ImportUpload.objects.create(
        study=held.study,
        interview=held.therapist_interview,
        file_name="generated.txt",
        source_format="txt",
        checksum="0" * 64,
        size=len(text.encode()),
        content=text.encode(),
        created_by=held.owner,
    )

    response = client.get(preview_url(row))

    assert response.status_code == 200
