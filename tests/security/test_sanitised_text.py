"""User-written text cannot run script: memos and meeting notes are cleaned on
write, and everything shown on pages is escaped (a code name too)."""

import datetime as dt

from django.template import Context, Template

from analysis.coding.services.codebook import code_create
from analysis.coding.services.memos import memo_create
from analysis.deliberation.services.meetings import meeting_create
from tests.conftest import api_as

ATTACK = '<p onclick="steal()">Note <script>alert("x")</script><b>kept</b></p>'


def test_a_script_in_a_memo_is_stripped_on_write(cast):
    memo = memo_create(actor=cast.analyst, study=cast.study, text=ATTACK)
    assert memo.text == "<p>Note <b>kept</b></p>"


def test_a_script_in_meeting_notes_and_agenda_is_stripped_on_write(cast):
    meeting = meeting_create(
        actor=cast.owner,
        study=cast.study,
        date=dt.date(2026, 5, 1),
        title="Meeting",
        attendees=[],
        agenda=ATTACK,
        notes='<a href="javascript:alert(1)">link</a>',
    )
    assert "script" not in meeting.agenda and "onclick" not in meeting.agenda
    assert "javascript:" not in meeting.notes


def test_a_meeting_patch_is_cleaned_too(cast):
    meeting = meeting_create(
        actor=cast.owner, study=cast.study, date=dt.date(2026, 5, 1), title="M", attendees=[]
    )
    response = api_as(cast.owner).patch(
        f"/api/v1/meetings/{meeting.pk}/", {"notes": ATTACK, "version": 1}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["notes"] == "<p>Note <b>kept</b></p>"


def test_a_code_name_with_a_script_is_stored_as_written_and_shown_as_text(cast):
    code = code_create(
        actor=cast.analyst, study=cast.study, name="<script>alert(1)</script>", rationale="test"
    )
    html = Template("{{ code.name }}").render(Context({"code": code}))
    assert html == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_the_rich_text_filter_cleans_again_on_render():
    html = Template("{% load duet_text %}{{ text|rich_text }}").render(Context({"text": ATTACK}))
    assert html == "<p>Note <b>kept</b></p>"


def test_text_typed_line_by_line_keeps_its_lines_and_paragraphs():
    agenda = "1. Rupture codes\n2. Theme names\n\nBring the <em>draft</em>"

    html = Template("{% load duet_text %}{{ text|rich_text }}").render(Context({"text": agenda}))

    assert html == "<p>1. Rupture codes<br>2. Theme names</p>\n\n<p>Bring the <em>draft</em></p>"


def test_text_written_in_html_blocks_is_not_broken_again():
    notes = "<p>One</p>\n<ul>\n<li>two</li>\n</ul>"

    html = Template("{% load duet_text %}{{ text|rich_text }}").render(Context({"text": notes}))

    assert "<br>" not in html
