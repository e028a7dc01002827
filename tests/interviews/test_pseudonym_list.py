"""The study's pseudonym list: owners manage it on a page and through the API; nobody
else sees it, and the audit log records the pseudonyms, never the real names."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dyads.exceptions import DomainError
from dyads.models import AuditEvent
from interviews.models import PseudonymReplacement
from interviews.services.pseudonyms import replacement_create, replacements_import
from tests.conftest import api_as


@pytest.fixture
def client_as(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def test_an_owner_adds_names_on_the_page(cast, client_as):
    client = client_as(cast.owner)

    response = client.post(
        reverse("pseudonyms", args=["tcx"]),
        {"step": "add", "original": "Bjørn", "replacement": "[father]"},
    )

    assert response.status_code == 302
    html = client.get(reverse("pseudonyms", args=["tcx"])).content.decode()
    assert "Bjørn" in html and "[father]" in html


def test_an_owner_adds_a_csv_list_and_an_entry_on_it_is_updated(cast, client_as):
    replacement_create(actor=cast.owner, study=cast.study, original="Kari", replacement="[c]")
    csv = "original,replacement\nKari,[client]\nFørde,[town]\n".encode()

    client_as(cast.owner).post(
        reverse("pseudonyms", args=["tcx"]),
        {"step": "import", "file": SimpleUploadedFile("list.csv", csv)},
    )

    entries = PseudonymReplacement.objects.filter(deleted_at__isnull=True)
    assert sorted(entries.values_list("original", "replacement")) == [
        ("Førde", "[town]"),
        ("Kari", "[client]"),
    ]


def test_a_name_already_on_the_list_is_refused_in_any_case(cast):
    replacement_create(actor=cast.owner, study=cast.study, original="Kari", replacement="[c]")

    with pytest.raises(DomainError, match=re.escape("'KARI' is already on the study's list.")):
        replacement_create(actor=cast.owner, study=cast.study, original="KARI", replacement="[x]")
    assert PseudonymReplacement.objects.count() == 1


def test_a_bad_csv_list_is_refused_whole(cast):
    with pytest.raises(DomainError, match=re.escape("Line 3: 'Førde' has no replacement.")):
        replacements_import(
            actor=cast.owner, study=cast.study, csv_text="original,replacement\nKari,[c]\nFørde,\n"
        )
    assert not PseudonymReplacement.objects.exists()


@pytest.mark.parametrize(
    "role, status", [("analyst", 403), ("auditor", 403), ("outsider", 404), ("interviewer", 200)]
)
def test_owners_and_interviewers_see_the_page(cast, client_as, role, status):
    assert client_as(cast.user(role)).get(reverse("pseudonyms", args=["tcx"])).status_code == status


def test_owners_manage_the_list_through_the_api(cast):
    api = api_as(cast.owner)

    created = api.post(
        "/api/v1/pseudonym-replacements/",
        {"study": cast.study.pk, "original": "Åse", "replacement": "[sister]"},
        format="json",
    ).json()
    api.patch(
        f"/api/v1/pseudonym-replacements/{created['id']}/",
        {"replacement": "[client's sister]", "version": 1},
        format="json",
    )
    listed = api.get(f"/api/v1/pseudonym-replacements/?study={cast.study.pk}").json()
    deleted = api.delete(f"/api/v1/pseudonym-replacements/{created['id']}/")

    assert [(e["original"], e["replacement"]) for e in listed["results"]] == [
        ("Åse", "[client's sister]")
    ]
    assert deleted.status_code == 204
    assert PseudonymReplacement.objects.get().deleted_at is not None


@pytest.mark.parametrize("role, status", [("analyst", 403), ("outsider", 404)])
def test_other_roles_cannot_read_the_list_through_the_api(cast, role, status):
    replacement_create(actor=cast.owner, study=cast.study, original="Kari", replacement="[c]")

    response = api_as(cast.user(role)).get(f"/api/v1/pseudonym-replacements/?study={cast.study.pk}")

    assert response.status_code == status


def test_the_audit_log_keeps_the_pseudonym_but_not_the_real_name(cast):
    entry = replacement_create(
        actor=cast.owner, study=cast.study, original="Magnus", replacement="[c]"
    )

    event = AuditEvent.objects.get(action="pseudonym.create", object_id=str(entry.pk))

    assert "Magnus" not in str(event.new_value) and "[c]" in str(event.new_value)
