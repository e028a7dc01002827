"""Retrieval: a code's coded excerpts across the study, with context and where they come from."""

import pytest

from analysis.coding.models import SessionMode, SessionState
from analysis.coding.selectors.excerpts import EXCERPT_CONTEXT, code_excerpts
from dyads.models import Role
from interviews.models import SpeakerTurn, Transcript
from tests.conftest import api_as
from tests.factories import (
    SAMPLE_TEXT,
    CodeFactory,
    CodingFactory,
    CodingSessionFactory,
    MembershipFactory,
    RevisionFactory,
    UserFactory,
    revision_for,
)


@pytest.fixture
def code(cast):
    return CodeFactory(study=cast.study, name="Safety")


def coding_on(revision, code, coder, words: str, **kwargs):
    start = revision.text.index(words)
    return CodingFactory(
        revision=revision, code=code, coder=coder, start=start, end=start + len(words), **kwargs
    )


def test_an_excerpt_carries_its_context_speaker_role_dyad_interview_coder_and_session(cast, code):
    session = CodingSessionFactory(study=cast.study, mode=SessionMode.OPEN, created_by=cast.owner)
    coding = coding_on(cast.revision, code, cast.analyst, "dark room 🌑", session=session)
    turn = SpeakerTurn.objects.get(
        revision=cast.revision, start__lte=coding.start, end__gt=coding.start
    )

    (excerpt,) = code_excerpts(user=cast.analyst, code=code)

    text = cast.revision.text
    assert excerpt.text == "dark room 🌑"
    assert excerpt.before == text[turn.start : coding.start]
    assert excerpt.after == text[coding.end : turn.end]
    assert excerpt.before.startswith("C: Like walking")
    assert (excerpt.speaker, excerpt.speaker_role) == ("C", "participant")
    assert (excerpt.participant, excerpt.role) == (cast.dyad.client.pseudonym, "client")
    assert (excerpt.dyad, excerpt.dyad_label) == (cast.dyad.pk, "Dyad 1")
    assert (excerpt.interview, excerpt.interview_number) == (cast.client_interview.pk, 1)
    assert (excerpt.coder, excerpt.session, excerpt.session_name) == (
        "analyst",
        session.pk,
        session.name,
    )


def test_offsets_count_code_points_even_past_characters_outside_the_basic_plane(cast, code):
    text = "I: Go on.\n\nC: " + "🌑" * 400 + " the coded words " + "𝄞" * 400
    revision = revision_for(cast.therapist_interview, text=text)
    coding_on(revision, code, cast.analyst, "the coded words")

    (excerpt,) = code_excerpts(user=cast.analyst, code=code)

    assert excerpt.text == "the coded words"
    assert excerpt.before == "🌑" * (EXCERPT_CONTEXT - 1) + " "
    assert excerpt.after == " " + "𝄞" * (EXCERPT_CONTEXT - 1)


def test_sub_codes_are_included_only_when_asked(cast, code):
    child = CodeFactory(study=cast.study, parent=code, name="At night")
    grandchild = CodeFactory(study=cast.study, parent=child, name="Alone")
    for each, words in [(code, "dark room"), (child, "holds your hand"), (grandchild, "escape")]:
        coding_on(cast.revision, each, cast.analyst, words)

    alone = code_excerpts(user=cast.analyst, code=code)
    family = code_excerpts(user=cast.analyst, code=code, include_subcodes=True)

    assert [e.text for e in alone] == ["dark room"]
    assert [e.text for e in family] == ["dark room", "holds your hand", "escape"]


@pytest.fixture
def spread(cast, code):
    """Codings by two coders, on the client's and on the therapist's transcript."""
    therapist_revision = revision_for(cast.therapist_interview)
    analyst2 = UserFactory(username="analyst2")
    MembershipFactory(study=cast.study, user=analyst2, role=Role.ANALYST)
    session = CodingSessionFactory(study=cast.study, mode=SessionMode.OPEN, created_by=cast.owner)
    coding_on(cast.revision, code, cast.analyst, "dark room")
    coding_on(therapist_revision, code, analyst2, "holds your hand", session=session)
    return therapist_revision, session


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (lambda cast, spread: {"role": "client"}, ["dark room"]),
        (lambda cast, spread: {"role": "therapist"}, ["holds your hand"]),
        (lambda cast, spread: {"dyad": cast.dyad.pk}, ["dark room", "holds your hand"]),
        (lambda cast, spread: {"interview": cast.client_interview.pk}, ["dark room"]),
        (lambda cast, spread: {"coder": "analyst2"}, ["holds your hand"]),
        (lambda cast, spread: {"session": spread[1].pk}, ["holds your hand"]),
    ],
)
def test_excerpts_are_filtered_by_role_dyad_interview_coder_and_session(
    cast, code, spread, filters, expected
):
    excerpts = code_excerpts(user=cast.owner, code=code, **filters(cast, spread))

    assert sorted(e.text for e in excerpts) == sorted(expected)


def test_a_blind_session_hides_other_coders_excerpts_until_it_is_closed(cast, code):
    analyst2 = UserFactory(username="analyst2")
    MembershipFactory(study=cast.study, user=analyst2, role=Role.ANALYST)
    session = CodingSessionFactory(study=cast.study, mode=SessionMode.BLIND, created_by=cast.owner)
    session.coders.add(cast.analyst, analyst2)
    session.transcripts.add(cast.revision.transcript)
    coding_on(cast.revision, code, cast.analyst, "dark room", session=session)
    coding_on(cast.revision, code, analyst2, "holds your hand", session=session)

    def seen_by(user):
        return sorted(e.text for e in code_excerpts(user=user, code=code))

    assert seen_by(cast.analyst) == ["dark room"]
    assert seen_by(analyst2) == ["holds your hand"]
    assert seen_by(cast.owner) == ["dark room", "holds your hand"]
    session.state = SessionState.CLOSED
    session.save()
    assert seen_by(cast.analyst) == ["dark room", "holds your hand"]


def test_removed_codings_and_codings_on_superseded_revisions_are_left_out(cast, code):
    coding_on(cast.revision, code, cast.analyst, "dark room", deleted_at="2026-01-01T00:00Z")
    coding_on(cast.revision, code, cast.analyst, "escape")
    newer = RevisionFactory(transcript=cast.revision.transcript, number=2, text=SAMPLE_TEXT)
    coding_on(newer, code, cast.analyst, "holds your hand")

    assert [e.text for e in code_excerpts(user=cast.analyst, code=code)] == ["holds your hand"]
    assert Transcript.objects.get(pk=newer.transcript_id).current_revision == newer


def test_the_excerpts_are_read_in_two_queries_however_many_there_are(
    cast, code, django_assert_num_queries
):
    words = ["dark room", "holds your hand", "escape", "What helped", "relationship"]
    for _ in range(20):  # a coder applies a code to a span once: twenty coders
        coder = UserFactory()
        for each in words:
            coding_on(cast.revision, code, coder, each)

    with django_assert_num_queries(2):
        excerpts = list(code_excerpts(user=cast.analyst, code=code))

    assert len(excerpts) == 100


def test_the_api_answers_a_page_of_excerpts_with_their_metadata(cast, code):
    for words in ["dark room", "holds your hand", "escape"]:
        coding_on(cast.revision, code, cast.analyst, words)
    client = api_as(cast.auditor)

    everything = client.get(f"/api/v1/codes/{code.pk}/excerpts/")
    page = client.get(f"/api/v1/codes/{code.pk}/excerpts/?page_size=2&role=client")

    assert everything.status_code == 200
    assert everything.data["count"] == 3
    first = everything.data["results"][0]
    assert (first["text"], first["speaker"], first["role"], first["coder"]) == (
        "dark room",
        "C",
        "client",
        "analyst",
    )
    assert len(page.data["results"]) == 2
    assert page.data["next"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("role=interviewer", "role"),
        ("dyad=first", "dyad"),
        ("include_subcodes=perhaps", "include_subcodes"),
    ],
)
def test_a_bad_filter_is_refused_naming_it(cast, code, query, field):
    response = api_as(cast.analyst).get(f"/api/v1/codes/{code.pk}/excerpts/?{query}")

    assert response.status_code == 400
    assert field in response.data


@pytest.mark.parametrize("role", ["interviewer", "outsider"])
def test_interviewers_and_outsiders_get_no_excerpts(cast, code, role):
    coding_on(cast.revision, code, cast.analyst, "dark room")

    response = api_as(cast.user(role)).get(f"/api/v1/codes/{code.pk}/excerpts/")

    assert response.status_code == 404
