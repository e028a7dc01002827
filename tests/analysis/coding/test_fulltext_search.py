"""Full-text search in a study's transcripts: which match, and the passages, highlighted."""

import pytest
from django.db import connection

from analysis.coding.selectors.search import _matching, transcript_search
from analysis.coding.textsearch import Turn, find_passages, query_terms, term_pattern
from interviews.models import TranscriptRevision
from tests.conftest import api_as
from tests.factories import InterviewFactory, revision_for

THERAPIST_TEXT = (
    "I: When did you notice a change?\n\n"
    "T: Around the sixth session. She looked at the clock less. 🕰️ She stayed.\n\n"
    "I: And the clock?\n\n"
    "T: I never look at the clock in session."
)


@pytest.fixture
def transcripts(cast):
    return cast.revision, revision_for(cast.therapist_interview, text=THERAPIST_TEXT)


@pytest.fixture(params=["postgresql", "fallback"])
def backend(request, monkeypatch):
    """Run on PostgreSQL's full-text search, and on the substring fallback SQLite uses."""
    if request.param == "fallback":
        monkeypatch.setattr(connection, "vendor", "sqlite")
    return request.param


def found(study, query):
    return {hit.revision: hit for hit in transcript_search(study=study, query=query).hits}


def test_a_word_finds_the_transcripts_that_contain_it_with_passages_around_it(
    cast, transcripts, backend
):
    therapist_revision = transcripts[1]

    hits = found(cast.study, "Clock")

    assert set(hits) == {therapist_revision.pk}
    hit = hits[therapist_revision.pk]
    assert hit.matches == 3
    assert hit.interview == cast.therapist_interview
    first = hit.passages[0]
    assert first.speaker == "T"
    assert "".join(text for text, marked in first.fragments if marked) == "clock"
    assert THERAPIST_TEXT[first.start : first.end] == first.text


def test_a_phrase_and_an_excluded_word_narrow_the_search(cast, transcripts, backend):
    client_revision = transcripts[0]

    assert set(found(cast.study, '"dark room"')) == {client_revision.pk}
    assert set(found(cast.study, "the -clock")) == {client_revision.pk}


def test_only_the_current_revision_of_the_studys_own_transcripts_is_searched(
    cast, transcripts, backend
):
    revision_for(
        InterviewFactory(participant__study=cast.other_study), text="I: clock?\n\nC: clock"
    )
    therapist_revision = transcripts[1]
    newer = TranscriptRevision.objects.create(
        transcript=therapist_revision.transcript,
        number=2,
        text="I: Anything else?\n\nT: Nothing.",
        checksum="f" * 64,
        created_by=cast.owner,
    )
    therapist_revision.transcript.current_revision = newer
    therapist_revision.transcript.save()

    assert found(cast.study, "clock") == {}
    assert set(found(cast.study, "nothing")) == {newer.pk}


def test_postgresql_answers_the_search_from_the_full_text_index(cast, transcripts):
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL only")
    query = _matching(TranscriptRevision.objects.order_by(), "clock", query_terms("clock"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = query.explain()

    assert "interviews_revision_search_document" in plan


def test_the_api_answers_matching_transcripts_with_highlighted_passages(cast, transcripts):
    response = api_as(cast.analyst).get(f"/api/v1/search/?study={cast.study.pk}&q=clock")

    assert response.status_code == 200
    assert response.data["count"] == 1
    (hit,) = response.data["results"]
    assert hit["interview"] == cast.therapist_interview.pk
    assert hit["role"] == "therapist"
    assert hit["matches"] == 3
    passage = hit["passages"][0]
    start, end = passage["highlights"][0]
    assert passage["text"][start:end] == "clock"


@pytest.mark.parametrize(
    ("query", "field"),
    [("q=", "q"), ("q=" + "x" * 501, "q"), ("", "study"), ("q=a&page=0", "page")],
)
def test_a_bad_search_is_refused_naming_the_parameter(cast, query, field):
    study = "" if field == "study" else f"study={cast.study.pk}&"

    response = api_as(cast.analyst).get(f"/api/v1/search/?{study}{query}")

    assert response.status_code == 400
    assert field in response.data


@pytest.mark.parametrize(("role", "status"), [("interviewer", 403), ("outsider", 404)])
def test_interviewers_and_outsiders_cannot_search_the_studys_transcripts(
    cast, transcripts, role, status
):
    response = api_as(cast.user(role)).get(f"/api/v1/search/?study={cast.study.pk}&q=clock")

    assert response.status_code == status


def test_a_query_is_split_into_words_phrases_and_excluded_words():
    terms = query_terms('safe "dark room" -clock or hand -"not this"')

    assert terms.include == ("safe", "dark room", "hand")
    assert terms.exclude == ("clock", "not this")


def test_passages_stay_inside_their_turn_and_share_close_matches():
    text = "I: a clock\n\nT: tick clock tock clock " + "filler " * 40 + "clock end"
    second_turn = text.index("T:")
    turns = [Turn(0, second_turn, "I", 0), Turn(second_turn, len(text), "T", 1)]

    passages, matches = find_passages(text, term_pattern(["clock"]), turns, context=20)

    assert matches == 4
    assert [p.speaker for p in passages] == ["I", "T", "T"]
    assert passages[0].text == "I: a clock\n\n"
    assert passages[1].text.count("clock") == 2
    assert passages[1].start >= second_turn


def test_a_pattern_matches_whole_words_case_insensitively_and_phrases_across_spaces():
    pattern = term_pattern(["clock", "dark room"])

    assert [m.group() for m in pattern.finditer("Clock clocks o'clock dark\n room")] == [
        "Clock",
        "clock",
        "dark\n room",
    ]
    assert term_pattern([]) is None
