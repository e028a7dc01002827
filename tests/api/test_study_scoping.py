"""No endpoint lets a member of one study read or change anything of another."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from analysis.coding.models import Code, Coding
from analysis.coding.serializers import CodingSerializer
from tests.conftest import api_as
from tests.factories import (
    CodeFactory,
    CodingFactory,
    DyadFactory,
    InterviewFactory,
    MeetingFactory,
    revision_for,
)


def detail_urls(cast):
    code = CodeFactory(study=cast.study)
    coding = CodingFactory(revision=cast.revision, code=code, coder=cast.analyst)
    meeting = MeetingFactory(study=cast.study)
    return [
        f"/api/v1/studies/{cast.study.pk}/",
        f"/api/v1/studies/{cast.study.pk}/members/",
        f"/api/v1/participants/{cast.dyad.client_id}/",
        f"/api/v1/dyads/{cast.dyad.pk}/",
        f"/api/v1/interviews/{cast.client_interview.pk}/",
        f"/api/v1/transcripts/{cast.revision.transcript_id}/",
        f"/api/v1/codes/{code.pk}/",
        f"/api/v1/codings/{coding.pk}/",
        f"/api/v1/meetings/{meeting.pk}/",
    ]


def test_a_member_of_another_study_gets_404_for_every_object(cast):
    client = api_as(cast.outsider)
    for url in detail_urls(cast):
        assert client.get(url).status_code == 404, url
        assert client.patch(url, {}, format="json").status_code in (404, 405), url
        assert client.delete(url).status_code in (404, 405), url


@pytest.mark.parametrize(
    "path",
    [
        "participants",
        "dyads",
        "interviews",
        "codes",
        "codings",
        "coding-sessions",
        "meetings",
        "decisions",
        "themes",
        "audit-events",
    ],
)
def test_filtering_by_another_studys_id_answers_404(cast, path):
    response = api_as(cast.outsider).get(f"/api/v1/{path}/?study={cast.study.pk}")
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["participants", "dyads", "interviews", "codes", "codings"])
def test_lists_hold_only_the_members_own_studies(cast, path):
    CodeFactory(study=cast.study)
    assert api_as(cast.outsider).get(f"/api/v1/{path}/").data["count"] == 0


def test_a_guessed_id_of_another_study_in_a_body_is_refused_like_a_missing_one(cast):
    code_count = Code.objects.count()
    client = api_as(cast.outsider)

    foreign = client.post(
        "/api/v1/codes/", {"study": cast.study.pk, "name": "Sneaky"}, format="json"
    )
    missing = client.post("/api/v1/codes/", {"study": 987654, "name": "Sneaky"}, format="json")

    assert foreign.status_code == missing.status_code == 400
    assert "study" in foreign.data
    assert Code.objects.count() == code_count


def test_a_coding_on_another_studys_transcript_or_code_is_refused_like_a_missing_one(cast):
    own_interview = InterviewFactory(
        participant=DyadFactory(study=cast.other_study).client, sequence_number=1
    )
    own_revision = revision_for(own_interview)
    own_code = CodeFactory(study=cast.other_study)
    foreign_code = CodeFactory(study=cast.study)
    coding_count = Coding.objects.count()
    client = api_as(cast.outsider)

    def post(revision: int, code: int):
        return client.post(
            "/api/v1/codings/",
            {"revision": revision, "start": 0, "end": 5, "code": code},
            format="json",
        )

    foreign_revision = post(cast.revision.pk, own_code.pk)
    missing_revision = post(987654, own_code.pk)
    foreign = post(own_revision.pk, foreign_code.pk)
    missing = post(own_revision.pk, 987654)

    assert foreign_revision.status_code == missing_revision.status_code == 400
    assert str(foreign_revision.data["revision"][0]) == str(
        missing_revision.data["revision"][0]
    ).replace("987654", str(cast.revision.pk))
    assert foreign.status_code == missing.status_code == 400
    assert str(foreign.data["code"][0]) == str(missing.data["code"][0]).replace(
        "987654", str(foreign_code.pk)
    )
    assert Coding.objects.count() == coding_count
    assert post(own_revision.pk, own_code.pk).status_code == 201


def test_a_removed_member_can_no_longer_name_the_studys_objects(cast):
    membership = cast.study.memberships.get(user=cast.analyst)
    client = api_as(cast.analyst)
    body = {
        "revision": cast.revision.pk,
        "start": 0,
        "end": 5,
        "code": CodeFactory(study=cast.study).pk,
    }
    assert client.post("/api/v1/codings/", body, format="json").status_code == 201

    membership.removed_at = timezone.now()
    membership.save(update_fields=["removed_at"])
    refused = client.post("/api/v1/codings/", body, format="json")

    assert refused.status_code == 400
    assert "does not exist" in str(refused.data["revision"][0])


def test_ids_in_a_body_cost_one_query_each_and_one_for_the_users_studies(
    cast, django_assert_num_queries
):
    request = SimpleNamespace(user=cast.analyst)
    code = CodeFactory(study=cast.study)
    body = {"revision": cast.revision.pk, "start": 0, "end": 5, "code": code.pk}
    serializer = CodingSerializer(data=body, context={"request": request})

    with django_assert_num_queries(3):
        assert serializer.is_valid(), serializer.errors
