"""The coding page of one transcript, as the server renders it: every turn's
words with their code point offsets in the revision, so that the page's
JavaScript can place codings; links from the interview page; who may code."""

import re
from html import unescape

import pytest
from django.urls import reverse

from analysis.coding.models import SessionMode, SessionState
from dyads.models import AccessAction, AccessEvent
from tests import factories
from tests.pages.test_no_inline_code import INLINE

TEXT_ELEMENT = re.compile(
    r'<div class="coding-text" data-start="(\d+)" data-end="(\d+)">(.*?)</div>', re.DOTALL
)


def url(cast, interview=None, session=None) -> str:
    interview = interview or cast.client_interview
    address = reverse("coding-page", args=["tcx", interview.pk])
    return f"{address}?session={session}" if session is not None else address


def workspace(html: str) -> dict[str, str]:
    tag = re.search(r'<div id="coding-workspace"(.*?)>', html, re.DOTALL).group(1)
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', tag))


def test_each_turns_words_are_shown_with_their_offsets_in_the_revision(cast, client_as):
    html = client_as(cast.analyst).get(url(cast)).content.decode()

    shown = [(int(s), int(e), unescape(t)) for s, e, t in TEXT_ELEMENT.findall(html)]
    text = cast.revision.text
    assert [words for _, _, words in shown] == [
        "How would you describe your relationship with the therapist?",
        "Like walking into a dark room 🌑 while somebody holds your hand.",
        "What helped?",
        "That she did not let me escape.",
    ]
    assert all(text[start:end] == words for start, end, words in shown)


def test_carriage_returns_survive_as_references_so_offsets_do_not_drift(cast, client_as):
    interview = factories.InterviewFactory(participant=cast.dyad.client, sequence_number=2)
    factories.revision_for(interview, text="I: Hello?\r\n\r\nC: One line.\r\nAnd another.")

    html = client_as(cast.analyst).get(url(cast, interview)).content.decode()

    assert "One line.&#13;\nAnd another." in html


def test_the_page_carries_what_its_javascript_needs_and_no_inline_code(cast, client_as):
    html = client_as(cast.analyst).get(url(cast)).content.decode()

    assert (
        workspace(html).items()
        >= {
            "study": str(cast.study.pk),
            "revision": str(cast.revision.pk),
            "transcript": str(cast.revision.transcript_id),
            "session": "",
            "user": "analyst",
            "role": "analyst",
            "can-code": "true",
        }.items()
    )
    assert '<script type="module" src="/static/js/coding/main.js"></script>' in html
    for pattern, what in INLINE:
        assert not pattern.search(html), f"the coding page has an {what}"


def test_reading_the_page_is_recorded_in_the_access_log(cast, client_as):
    client_as(cast.auditor).get(url(cast))

    event = AccessEvent.objects.get()
    assert (event.user, event.action, event.object_id) == (
        cast.auditor,
        AccessAction.READ_TRANSCRIPT,
        str(cast.revision.transcript_id),
    )


def test_an_auditor_reads_the_page_but_may_not_code(cast, client_as):
    html = client_as(cast.auditor).get(url(cast)).content.decode()

    assert workspace(html)["can-code"] == "false"


@pytest.mark.parametrize(("role", "status"), [("interviewer", 403), ("outsider", 404)])
def test_who_may_not_read_the_analysis_is_refused(cast, client_as, role, status):
    assert client_as(cast.user(role)).get(url(cast)).status_code == status


def test_in_a_session_only_its_coders_may_code_and_only_while_it_is_open(cast, client_as):
    session = factories.CodingSessionFactory(
        study=cast.study,
        mode=SessionMode.OPEN,
        coders=[cast.analyst],
        transcripts=[cast.revision.transcript],
    )

    coder = client_as(cast.analyst).get(url(cast, session=session.pk)).content.decode()
    owner = client_as(cast.owner).get(url(cast, session=session.pk)).content.decode()

    assert workspace(coder)["can-code"] == "true"
    assert "Mark this transcript done" in coder
    assert workspace(owner)["can-code"] == "false"
    session.state = SessionState.CLOSED
    session.save()
    closed = client_as(cast.analyst).get(url(cast, session=session.pk)).content.decode()
    assert workspace(closed)["can-code"] == "false"


@pytest.mark.parametrize("session", ["999999", "abc"])
def test_an_unknown_session_is_404(cast, client_as, session):
    assert client_as(cast.analyst).get(url(cast, session=session)).status_code == 404


def test_a_session_without_this_transcript_is_404(cast, client_as):
    session = factories.CodingSessionFactory(study=cast.study, coders=[cast.analyst])

    response = client_as(cast.analyst).get(url(cast, session=session.pk))

    assert response.status_code == 404


def test_an_interview_without_a_transcript_is_404(cast, client_as):
    response = client_as(cast.analyst).get(url(cast, cast.therapist_interview))

    assert response.status_code == 404


def test_the_interview_page_links_to_the_coding_page_except_for_interviewers(cast, client_as):
    page = reverse("interview-detail", args=["tcx", cast.client_interview.pk])

    assert url(cast) in client_as(cast.analyst).get(page).content.decode()
    assert url(cast) not in client_as(cast.interviewer).get(page).content.decode()


def test_the_page_runs_as_many_queries_for_a_long_transcript_as_for_a_short_one(
    cast, client_as, django_assert_max_num_queries
):
    interview = factories.InterviewFactory(participant=cast.dyad.client, sequence_number=2)
    long_text = "\n\n".join(f"{'IC'[n % 2]}: Turn {n} says something." for n in range(300))
    factories.revision_for(interview, text=long_text)
    client = client_as(cast.analyst)

    with django_assert_max_num_queries(8):
        response = client.get(url(cast, interview))

    assert response.content.decode().count('class="coding-text"') == 300
