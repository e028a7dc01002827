"""No endpoint lets a member of one study read or change anything of another."""

import pytest

from analysis.models import Code
from tests.conftest import api_as
from tests.factories import CodeFactory, CodingFactory, MeetingFactory


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
