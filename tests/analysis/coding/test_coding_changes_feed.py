"""The coding page's feed: a revision's codings with an ETag, and the changes
since a sequence number of the study's audit log. Nothing new answers 304
before any coding is read; new, re-coded and removed codings come as a delta;
a change to what the page shows otherwise (a session closed, a code renamed)
comes as everything again."""

import pytest

from analysis.coding.models import SessionMode
from analysis.coding.selectors import live
from analysis.coding.services.codebook import code_update
from analysis.coding.services.codings import coding_create, coding_delete, coding_recode
from analysis.coding.services.sessions import coding_session_close
from tests import factories
from tests.conftest import api_as


@pytest.fixture
def code(cast):
    return factories.CodeFactory(study=cast.study, name="Safety", colour="#59a14f")


def feed_url(cast, what="codings", **query) -> str:
    params = "&".join(f"{key}={value}" for key, value in query.items())
    return f"/api/v1/revisions/{cast.revision.pk}/{what}/?{params}"


def first_load(client, cast, **query):
    response = client.get(feed_url(cast, **query))
    assert response.status_code == 200, response.data
    return response


def changes(client, cast, loaded, **query):
    return client.get(
        feed_url(cast, "changes", after=loaded.data["sequence"], **query),
        HTTP_IF_NONE_MATCH=loaded["ETag"],
    )


def test_the_codings_come_with_codes_coders_and_an_etag(cast, code):
    coding_create(actor=cast.analyst, revision=cast.revision, start=0, end=4, code=code)

    response = first_load(api_as(cast.owner), cast)

    assert response["ETag"].startswith('W/"')
    assert response.data["codes"] == [
        {
            "id": code.pk,
            "parent": None,
            "name": "Safety",
            "colour": "#59a14f",
            "definition": code.definition,
            "retired": False,
        }
    ]
    assert [(c["start"], c["end"], c["coder"]) for c in response.data["codings"]] == [
        (0, 4, "analyst")
    ]
    assert {c["username"] for c in response.data["coders"]} == {"analyst", "owner"}


def test_nothing_new_answers_304_with_the_same_etag(cast, code, django_assert_max_num_queries):
    client = api_as(cast.analyst)
    loaded = first_load(client, cast)

    with django_assert_max_num_queries(4):
        response = changes(client, cast, loaded)

    assert response.status_code == 304
    assert response["ETag"] == loaded["ETag"]
    assert not response.content


def test_the_first_load_also_answers_304_to_its_own_etag(cast, code):
    client = api_as(cast.analyst)
    loaded = first_load(client, cast)

    again = client.get(feed_url(cast), HTTP_IF_NONE_MATCH=loaded["ETag"])

    assert again.status_code == 304


def test_another_coders_new_coding_comes_as_a_change(cast, code):
    client = api_as(cast.analyst)
    loaded = first_load(client, cast)
    coding = coding_create(actor=cast.owner, revision=cast.revision, start=5, end=9, code=code)

    response = changes(client, cast, loaded)

    assert response.status_code == 200
    assert response["ETag"] != loaded["ETag"]
    assert response.data["reload"] is False
    assert [(c["id"], c["coder"]) for c in response.data["codings"]] == [(coding.pk, "owner")]
    assert response.data["coders"] == [{"username": "owner", "name": "owner"}]
    assert response.data["removed"] == []
    assert response.data["sequence"] > loaded.data["sequence"]


def test_a_removed_coding_comes_as_an_id_to_drop_and_a_recoded_one_with_its_new_code(cast, code):
    other = factories.CodeFactory(study=cast.study, name="Trust")
    kept = coding_create(actor=cast.owner, revision=cast.revision, start=0, end=4, code=code)
    gone = coding_create(actor=cast.owner, revision=cast.revision, start=5, end=9, code=code)
    client = api_as(cast.analyst)
    loaded = first_load(client, cast)

    coding_delete(actor=cast.owner, coding=gone)
    coding_recode(actor=cast.owner, coding=kept, code=other)
    response = changes(client, cast, loaded)

    assert response.data["removed"] == [gone.pk]
    assert [(c["id"], c["code"]) for c in response.data["codings"]] == [(kept.pk, other.pk)]


def test_a_blind_sessions_other_coder_never_shows_up_in_the_changes(cast, code):
    session = factories.CodingSessionFactory(
        study=cast.study,
        mode=SessionMode.BLIND,
        coders=[cast.analyst, cast.owner],
        transcripts=[cast.revision.transcript],
    )
    client = api_as(cast.analyst)
    loaded = first_load(client, cast, session=session.pk)
    hidden = coding_create(
        actor=cast.owner, revision=cast.revision, start=0, end=4, code=code, session=session
    )

    response = changes(client, cast, loaded, session=session.pk)

    assert response.data["codings"] == []
    assert hidden.pk in response.data["removed"]


def test_closing_a_blind_session_sends_everything_again_now_visible(cast, code):
    session = factories.CodingSessionFactory(
        study=cast.study,
        mode=SessionMode.BLIND,
        coders=[cast.analyst, cast.owner],
        transcripts=[cast.revision.transcript],
    )
    coding_create(
        actor=cast.owner, revision=cast.revision, start=0, end=4, code=code, session=session
    )
    client = api_as(cast.analyst)
    loaded = first_load(client, cast, session=session.pk)
    assert loaded.data["codings"] == []

    coding_session_close(actor=cast.owner, session=session)
    response = changes(client, cast, loaded, session=session.pk)

    assert response.data["reload"] is True
    assert response.data["session_state"] == "closed"
    assert [c["coder"] for c in response.data["codings"]] == ["owner"]


def test_a_renamed_code_sends_everything_again(cast, code):
    client = api_as(cast.analyst)
    loaded = first_load(client, cast)

    code_update(actor=cast.owner, code=code, name="Feeling safe", version=1, rationale="Clearer")
    response = changes(client, cast, loaded)

    assert response.data["reload"] is True
    assert response.data["codes"][0]["name"] == "Feeling safe"


def test_more_changes_than_the_feed_carries_send_everything_again(cast, code, monkeypatch):
    monkeypatch.setattr(live, "FEED_LIMIT", 2)
    client = api_as(cast.analyst)
    loaded = first_load(client, cast)
    for start in range(3):
        coding_create(
            actor=cast.owner, revision=cast.revision, start=start, end=start + 2, code=code
        )

    response = changes(client, cast, loaded)

    assert response.data["reload"] is True
    assert len(response.data["codings"]) == 3


def test_the_codings_of_a_long_transcript_load_in_a_fixed_number_of_queries(
    cast, code, django_assert_max_num_queries
):
    for start in range(0, 150, 3):
        factories.CodingFactory(
            revision=cast.revision, code=code, coder=cast.analyst, start=start, end=start + 2
        )

    with django_assert_max_num_queries(9):
        response = api_as(cast.owner).get(feed_url(cast))

    assert len(response.data["codings"]) == 50


@pytest.mark.parametrize(
    ("query", "field"),
    [({"after": "-1"}, "after"), ({"after": "soon"}, "after"), ({"session": 999_999}, "session")],
)
def test_a_bad_query_is_refused_naming_the_parameter(cast, code, query, field):
    response = api_as(cast.analyst).get(feed_url(cast, "changes", **query))

    assert response.status_code == 400
    assert field in response.data


@pytest.mark.parametrize("role", ["interviewer", "outsider"])
def test_who_may_not_read_the_analysis_gets_404(cast, role):
    response = api_as(cast.user(role)).get(feed_url(cast))

    assert response.status_code == 404
