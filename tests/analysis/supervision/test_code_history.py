"""A code's whole life: every decision, its wording over time and its codings week by week."""

import pytest
from django.urls import reverse

from analysis.coding.services.codebook import code_merge, code_split
from analysis.supervision.selectors import code_history
from tests import factories
from tests.analysis.audit_setup import redefined_code_story, signed_in
from tests.conftest import api_as


@pytest.fixture
def story(cast):
    return redefined_code_story(cast)


def test_the_history_lists_every_decision_and_the_wording_over_time(cast, story):
    history = code_history(study=cast.study, code_id=story.code.pk)

    assert [d.kind for d in history.decisions] == ["code_create", "code_redefine"]
    assert [state.texts["definition"] for state in history.definitions] == [
        "Feeling safe.",
        "Safe enough to speak about the therapist.",
    ]
    assert history.definitions[0].texts["name"] == "Safety"
    assert history.definitions[1].decision.meeting == story.meeting


def test_the_history_counts_live_codings_week_by_week(cast, story):
    history = code_history(study=cast.study, code_id=story.code.pk)

    assert [(w.added, w.removed, w.total) for w in history.weeks] == [(2, 0, 2)]


def test_a_merged_codes_decisions_join_the_survivors_history(cast, story):
    feeling = factories.CodeFactory(study=cast.study, name="Feeling held")
    code_merge(actor=cast.owner, code=feeling, into=story.code, rationale="The same experience.")

    history = code_history(study=cast.study, code_id=story.code.pk)

    assert "code_merge" in [d.kind for d in history.decisions]
    assert history.merged_codes == [feeling]


def test_a_code_made_by_a_split_shows_the_split_that_made_it(cast, story):
    _, therapist = code_split(
        actor=cast.owner,
        code=story.code,
        parts=[
            {"name": "Safe room", "codings": [story.coding.pk]},
            {"name": "Safe with her", "codings": [story.second.pk]},
        ],
        rationale="Two experiences.",
    )

    history = code_history(study=cast.study, code_id=therapist.pk)

    assert [d.kind for d in history.decisions] == ["code_create", "code_redefine", "code_split"]
    assert all(d.code == story.code for d in history.decisions)


def test_the_history_page_links_the_meetings(cast, story, client, django_assert_max_num_queries):
    client = signed_in(client, cast.analyst)

    with django_assert_max_num_queries(15):
        page = client.get(reverse("code-history", args=["tcx", story.code.pk]))

    html = page.content.decode()
    assert "Safe enough to speak about the therapist." in html
    assert reverse("meeting-detail", args=["tcx", story.meeting.pk]) in html


def test_the_api_gives_the_history_and_hides_it_from_other_studies(cast, story):
    answer = api_as(cast.analyst).get(f"/api/v1/codes/{story.code.pk}/history/")

    assert answer.status_code == 200
    assert (
        answer.data["definitions"][-1]["definition"] == "Safe enough to speak about the therapist."
    )
    assert api_as(cast.outsider).get(f"/api/v1/codes/{story.code.pk}/history/").status_code == 404
