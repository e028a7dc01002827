"""The interview page shows the interview's metadata, its guide and its current
transcript as speaker turns."""

import pytest
from django.urls import reverse

from interviews.models import GuideQuestion, InterviewGuide
from interviews.services import transcript_revision_create
from interviews.turns import detect_turns
from tests import factories
from tests.pages.conftest import MEMBER_ROLES


def url(interview) -> str:
    return reverse("interview-detail", args=["tcx", interview.pk])


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_it_shows_the_interview_and_its_transcript_to_every_member_role(cast, client_as, role):
    response = client_as(cast.user(role)).get(url(cast.client_interview))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{cast.dyad.client.pseudonym}, interview 1</h1>" in html
    assert f'class="badge badge-{role}"' in html
    assert "How would you describe your relationship with the therapist?" in html
    assert "Like walking into a dark room 🌑 while somebody holds your hand." in html


def test_it_shows_the_interviews_metadata(cast, client_as):
    interview = cast.client_interview
    interview.interviewer = cast.interviewer
    interview.notes = "Held at the clinic."
    interview.save()

    html = client_as(cast.analyst).get(url(interview)).content.decode()

    for text in [
        "This therapy",
        "After therapy",
        '<time datetime="2026-03-02">2 Mar 2026</time>',
        "60 minutes",
        "<dt>Interviewer</dt><dd>interviewer</dd>",
        "Held at the clinic.",
        reverse("dyad-detail", args=["tcx", cast.dyad.pk]),
    ]:
        assert text in html


def test_it_renders_each_turn_as_a_block_with_speaker_and_role(cast, client_as):
    response = client_as(cast.owner).get(url(cast.client_interview))

    turns = response.context["detail"].turns
    assert [(t.speaker, t.role_label) for t in turns] == [
        ("I", "Interviewer"),
        ("C", "Participant"),
        ("I", "Interviewer"),
        ("C", "Participant"),
    ]
    assert [t.text for t in turns][1] == (
        "Like walking into a dark room 🌑 while somebody holds your hand."
    )
    html = response.content.decode()
    assert html.count('<article class="turn turn-interviewer"') == 2
    assert html.count('<article class="turn turn-participant"') == 2


def test_it_keeps_turn_offsets_in_code_points(cast, client_as):
    turns = client_as(cast.owner).get(url(cast.client_interview)).context["detail"].turns

    text = cast.revision.text
    last = turns[-1]
    assert text[last.start : last.end] == "C: That she did not let me escape."


def test_it_shows_the_timestamps_of_timed_turns(cast, client_as):
    text = "[00:00:05] I: Shall we begin?\n[00:01:07] Kari: Yes.\n[01:02:03] I: Thank you.\n"
    transcript_revision_create(
        actor=cast.interviewer,
        interview=cast.therapist_interview,
        text=text,
        turns=detect_turns(text),
    )

    html = client_as(cast.owner).get(url(cast.therapist_interview)).content.decode()

    assert '<span class="turn-time">00:05</span>' in html
    assert '<span class="turn-time">01:07</span>' in html
    assert '<span class="turn-time">1:02:03</span>' in html
    assert "Shall we begin?" in html


def test_it_shows_the_current_revision_only(cast, client_as):
    text = "I: Corrected question?\n\nC: Corrected answer."
    transcript_revision_create(
        actor=cast.owner, interview=cast.client_interview, text=text, turns=detect_turns(text)
    )

    html = client_as(cast.owner).get(url(cast.client_interview)).content.decode()

    assert "Revision 2" in html
    assert "Corrected answer." in html
    assert "dark room" not in html


def test_it_says_so_when_there_is_no_transcript_yet(cast, client_as):
    html = client_as(cast.owner).get(url(cast.therapist_interview)).content.decode()

    assert "No transcript yet." in html


def test_it_shows_the_study_wide_and_the_tailored_questions_of_the_guide(cast, client_as):
    guide = InterviewGuide.objects.create(study=cast.study, title="Client guide")
    someone_else = factories.ParticipantFactory(study=cast.study)
    GuideQuestion.objects.create(guide=guide, position=1, text="What brought you to therapy?")
    GuideQuestion.objects.create(
        guide=guide, position=2, text="You mentioned a dark room.", participant=cast.dyad.client
    )
    GuideQuestion.objects.create(
        guide=guide, position=3, text="A question for someone else.", participant=someone_else
    )
    cast.client_interview.guide = guide
    cast.client_interview.save()

    response = client_as(cast.auditor).get(url(cast.client_interview))

    questions = response.context["detail"].questions
    assert [(q.text, q.tailored) for q in questions] == [
        ("What brought you to therapy?", False),
        ("You mentioned a dark room.", True),
    ]
    html = response.content.decode()
    assert "Interview guide: Client guide" in html
    assert f"Tailored to {cast.dyad.client.pseudonym}" in html
    assert "A question for someone else." not in html
