"""'Why is this passage coded X?': who coded it, in which session, how it stands against
the other coders, the decisions that shaped X, and the trace from a quote back to the
independent codings."""

import pytest
from django.urls import reverse

from analysis.coding.models import SessionMode
from analysis.coding.services.codings import coding_create
from analysis.coding.services.sessions import coding_session_create
from analysis.themes.models import ExemplaryQuote, Theme
from tests import factories
from tests.analysis.audit_setup import redefined_code_story, signed_in
from tests.conftest import api_as
from tests.pages.test_no_inline_code import INLINE


@pytest.fixture
def story(cast):
    return redefined_code_story(cast)


def test_the_page_names_the_coder_the_session_and_the_agreement(cast, story, client):
    page = signed_in(client, cast.auditor).get(reverse("coding-why", args=["tcx", story.coding.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Round 1" in html
    assert "agreed" in html
    assert "analyst2" in html
    assert cast.revision.text[66:131] in html
    for pattern, what in INLINE:
        assert not pattern.search(html), what


def test_the_page_links_the_meeting_where_the_code_was_redefined_since(cast, story, client):
    html = (
        signed_in(client, cast.analyst)
        .get(reverse("coding-why", args=["tcx", story.coding.pk]))
        .content.decode()
    )

    assert reverse("meeting-detail", args=["tcx", story.meeting.pk]) in html
    assert "since this coding" in html


def test_the_api_gives_the_same_provenance(cast, story):
    answer = api_as(cast.auditor).get(f"/api/v1/codings/{story.coding.pk}/provenance/")

    assert answer.status_code == 200
    assert answer.data["coding"]["coder"] == "analyst"
    assert answer.data["coding"]["session"]["name"] == "Round 1"
    assert answer.data["agreement"]["state"] == "agreed"
    assert [o["coder"] for o in answer.data["other_codings"]] == ["analyst2"]
    kinds = [d["kind"] for d in answer.data["decisions"]]
    assert kinds == ["code_create", "code_redefine"]
    redefined = answer.data["decisions"][1]
    assert redefined["meeting"] == story.meeting.pk
    assert answer.data["decisions_since_coding"] == [redefined["id"]]


def test_a_blind_open_session_hides_the_other_coders_from_an_analyst(cast):
    code = factories.CodeFactory(study=cast.study, name="Trust")
    other = factories.UserFactory(username="analyst2")
    factories.MembershipFactory(study=cast.study, user=other, role="analyst")
    session = coding_session_create(
        actor=cast.owner,
        study=cast.study,
        name="Blind",
        mode=SessionMode.BLIND,
        coders=[cast.analyst, other],
        transcripts=[cast.revision.transcript],
    )
    mine = coding_create(
        actor=cast.analyst, revision=cast.revision, start=0, end=20, code=code, session=session
    )
    coding_create(actor=other, revision=cast.revision, start=0, end=20, code=code, session=session)

    answer = api_as(cast.analyst).get(f"/api/v1/codings/{mine.pk}/provenance/")

    assert answer.data["other_codings"] == []
    assert answer.data["agreement"]["state"] is None
    assert "still open" in answer.data["agreement"]["note"]


def test_another_studys_coding_is_not_found(cast, story):
    assert (
        api_as(cast.outsider).get(f"/api/v1/codings/{story.coding.pk}/provenance/").status_code
        == 404
    )
    assert (
        api_as(cast.interviewer).get(f"/api/v1/codings/{story.coding.pk}/provenance/").status_code
        == 403
    )


def test_the_provenance_page_takes_a_fixed_number_of_queries(
    cast, story, client, django_assert_max_num_queries
):
    client = signed_in(client, cast.auditor)
    url = reverse("coding-why", args=["tcx", story.coding.pk])

    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


def test_a_quote_traces_back_to_the_independent_codings(cast, story, client):
    theme = Theme.objects.create(study=cast.study, name="Being held", level="overarching")
    quote = ExemplaryQuote.objects.create(
        study=cast.study,
        theme=theme,
        perspective="client",
        coding=story.coding,
        chosen_by=cast.owner,
    )

    html = (
        signed_in(client, cast.auditor)
        .get(reverse("quote-trace", args=["tcx", quote.pk]))
        .content.decode()
    )

    for coding in (story.coding, story.second):
        assert reverse("coding-why", args=["tcx", coding.pk]) in html
    assert "the quoted coding" in html
