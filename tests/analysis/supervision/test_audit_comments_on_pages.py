"""Auditors write audit comments on decisions and meetings from their pages; everyone who
may see the decision or the meeting reads them there."""

import pytest
from django.urls import reverse

from tests.analysis.audit_setup import redefined_code_story, signed_in


@pytest.fixture
def story(cast):
    return redefined_code_story(cast)


def comment(client, cast, object_type: str, object_id: int, text: str, back: str):
    return signed_in(client, cast.auditor).post(
        reverse("audit-comment", args=["tcx"]),
        {"object_type": object_type, "object_id": object_id, "text": text, "next": back},
    )


def test_an_auditor_comments_on_a_decision_from_the_decision_log(cast, story, client):
    log = reverse("decision-log", args=["tcx"])
    decision = story.code.decisions.latest("pk")
    form = signed_in(client, cast.auditor).get(log).content.decode()

    answer = comment(client, cast, "analysis.decision", decision.pk, "Who proposed this?", log)
    read_by_analyst = signed_in(client, cast.analyst).get(log).content.decode()

    assert f'id="comment-analysis.decision-{decision.pk}"' in form
    assert answer.status_code == 302 and answer["Location"] == log
    assert "Who proposed this?" in read_by_analyst
    assert 'id="comment-analysis.decision-' not in read_by_analyst  # analysts do not write


def test_an_auditor_comments_on_a_meeting_and_its_decisions_show_theirs(cast, story, client):
    page = reverse("meeting-detail", args=["tcx", story.meeting.pk])
    decision = story.code.decisions.latest("pk")
    comment(client, cast, "analysis.meetingrecord", story.meeting.pk, "Minutes are thin.", page)
    comment(client, cast, "analysis.decision", decision.pk, "Rationale missing.", page)

    html = signed_in(client, cast.owner).get(page).content.decode()

    assert "Minutes are thin." in html
    assert "Rationale missing." in html


def test_an_empty_comment_is_refused_and_nothing_is_stored(cast, story, client):
    log = reverse("decision-log", args=["tcx"])
    decision = story.code.decisions.latest("pk")

    answer = comment(client, cast, "analysis.decision", decision.pk, "  ", log)

    assert answer.status_code == 302
    assert not cast.study.audit_comments.exists()
