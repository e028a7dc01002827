"""The audit timeline tells each action as a sentence with people's names, links to the
objects and what changed, before -> after; it filters by person, object, action and
date, and names a bad filter value."""

import re

import pytest
from django.urls import reverse

from analysis.themes.services.report_settings import report_settings_update
from dyads.audit_comments import audit_comment_create
from dyads.services import membership_set
from tests.analysis.audit_setup import redefined_code_story, signed_in

PYTHON_DATA = re.compile(r"\{'|': |\[\d+(, \d+)*\]")
MODEL_LABEL = re.compile(r"\b(analysis|dyads|interviews|auth)\.[a-z_]+")
BARE_ID = re.compile(r"\bids? \d+\b|\b(pk|id)[ =:]\d+", re.IGNORECASE)


@pytest.fixture
def story(cast):
    for user, first, last in ((cast.owner, "Olivia", "Berg"), (cast.analyst, "Aksel", "Lund")):
        user.first_name, user.last_name = first, last
        user.save()
    story = redefined_code_story(cast)
    report_settings_update(actor=cast.owner, study=cast.study, client_pronoun="she")
    membership_set(actor=cast.owner, study=cast.study, username="analyst2", role="auditor")
    decision = story.code.decisions.latest("pk")
    audit_comment_create(
        actor=cast.auditor,
        study=cast.study,
        object_type="analysis.decision",
        object_id=decision.pk,
        text="Was the second coder asked?",
    )
    return story


def timeline(client, cast, query: str = ""):
    url = reverse("audit-timeline", args=["tcx"]) + query
    return signed_in(client, cast.auditor).get(url)


def visible_text(html: str) -> str:
    """The page as read: without tags and attribute values (hrefs, ids)."""
    return re.sub(r"<[^>]+>", " ", html)


def test_the_timeline_shows_no_python_data_model_labels_or_bare_ids(cast, story, client):
    main = timeline(client, cast).content.decode().split("<main", 1)[1]
    text = visible_text(main)

    assert not PYTHON_DATA.search(text), PYTHON_DATA.search(text)
    assert not MODEL_LABEL.search(text), MODEL_LABEL.search(text)
    assert not BARE_ID.search(text), BARE_ID.search(text)


def test_each_action_reads_as_a_sentence_with_names_and_links(cast, story, client):
    html = timeline(client, cast).content.decode()
    code_link = reverse("code-history", args=["tcx", story.code.pk])

    assert f'Olivia Berg revised the code <a href="{code_link}">“Safety”</a>' in html
    assert "Aksel Lund added the coding" in html
    assert "Olivia Berg changed the report settings" in html
    assert "commented on the decision" in html


def test_a_change_shows_before_and_after(cast, story, client):
    html = timeline(client, cast).content.decode()

    assert "<del>Feeling safe.</del> → <ins>Safe enough to speak about the therapist.</ins>" in html
    assert "<del>analyst</del> → <ins>auditor</ins>" in html


def test_it_filters_by_person_action_and_kind_of_object(cast, story, client):
    by_analyst = visible_text(timeline(client, cast, "?actor=analyst").content.decode())
    by_action = visible_text(timeline(client, cast, "?action=code.update").content.decode())

    assert "Aksel Lund added the coding" in by_analyst
    assert "Olivia Berg" not in by_analyst.split("No events match")[0].split("Entry")[-1]
    assert by_action.count("Entry ") == 1


def test_it_filters_by_meeting(cast, story, client):
    html = timeline(client, cast, f"?meeting={story.meeting.pk}").content.decode()

    assert "revised the code" not in html  # the redefinition itself is about the code
    assert "recorded the meeting" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?actor=nobody", "No one by the username &#x27;nobody&#x27; acted here."),
        ("?action=code.explode", "&#x27;code.explode&#x27; is no action in this trail."),
        ("?code=999999", "There is no code 999999 in this study."),
        ("?from=yesterday", "&#x27;yesterday&#x27; is not a date"),
        ("?from=2026-05-01&to=2026-04-01", "The period starts after it ends."),
    ],
)
def test_a_bad_filter_value_is_named_on_the_page(cast, story, client, query, message):
    answer = timeline(client, cast, query)

    assert answer.status_code == 400
    assert message in answer.content.decode()
