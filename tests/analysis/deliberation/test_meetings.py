"""Meeting records: notes kept as safe rich text, passages reviewed (audio or text
ranges, playable from the meeting page), and the decisions taken in them."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from analysis.coding.services.codebook import code_update
from analysis.deliberation.models import MeetingPassage
from analysis.deliberation.services.meetings import meeting_create, meeting_passage_add
from dyads.exceptions import DomainError
from interviews.models import AudioRecording
from tests import factories
from tests.analysis.audit_setup import signed_in
from tests.conftest import api_as
from tests.dyads.service_calls import row_counts
from tests.pages.test_no_inline_code import INLINE


@pytest.fixture
def meeting(cast):
    return meeting_create(
        actor=cast.owner,
        study=cast.study,
        date=dt.date(2026, 6, 10),
        title="Codebook workshop",
        attendees=[cast.owner, cast.analyst],
        notes='<p>We listened <strong>twice</strong>.</p><script>alert(1)</script><a href="javascript:x()">x</a>',
    )


def test_meeting_notes_keep_rich_text_and_lose_scripts(meeting):
    assert "<strong>twice</strong>" in meeting.notes
    assert "<script" not in meeting.notes
    assert "javascript:" not in meeting.notes


def test_a_passage_can_be_a_time_range_a_text_range_or_both(cast, meeting):
    audio = meeting_passage_add(
        actor=cast.analyst,
        meeting=meeting,
        interview=cast.client_interview,
        t_start=61_000,
        t_end=75_500,
    )
    text = meeting_passage_add(
        actor=cast.analyst,
        meeting=meeting,
        interview=cast.client_interview,
        revision=cast.revision,
        start=66,
        end=90,
    )

    assert (audio.t_start, audio.revision) == (61_000, None)
    assert (text.start, text.end, text.t_start) == (66, 90, None)


@pytest.mark.parametrize(
    ("ranges", "field"),
    [
        ({}, "t_start"),
        ({"t_start": 5_000, "t_end": 4_000}, "t_end"),
        ({"t_start": 5_000}, "t_end"),
        ({"revision": "own", "start": 10, "end": 10_000}, "start"),
        ({"revision": "own", "start": 10}, "start"),
        ({"revision": "other", "start": 0, "end": 5}, "revision"),
    ],
)
def test_a_bad_passage_is_refused_naming_the_field(cast, meeting, ranges, field):
    other = factories.revision_for(cast.therapist_interview)
    ranges = {**ranges}
    if "revision" in ranges:
        ranges["revision"] = cast.revision if ranges["revision"] == "own" else other
    before = row_counts()

    with pytest.raises(DomainError) as refused:
        meeting_passage_add(
            actor=cast.analyst, meeting=meeting, interview=cast.client_interview, **ranges
        )

    assert field in refused.value.detail
    assert row_counts() == before


def test_an_interview_of_another_study_cannot_be_reviewed(cast, meeting):
    foreign = factories.InterviewFactory(
        participant=factories.ParticipantFactory(study=cast.other_study)
    )

    with pytest.raises(DomainError) as refused:
        meeting_passage_add(
            actor=cast.owner, meeting=meeting, interview=foreign, t_start=0, t_end=1_000
        )

    assert "interview" in refused.value.detail


@pytest.fixture
def with_audio(cast, meeting, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    AudioRecording.objects.create(
        interview=cast.client_interview,
        file="audio/c1.mp3",
        content_type="audio/mpeg",
        checksum="0" * 64,
        uploaded_by=cast.owner,
    )
    return meeting_passage_add(
        actor=cast.analyst,
        meeting=meeting,
        interview=cast.client_interview,
        revision=cast.revision,
        start=66,
        end=90,
        t_start=61_000,
        t_end=75_500,
        note="Her pause before 'escape'.",
    )


def test_the_meeting_page_plays_each_passage_from_its_start_to_its_end(
    cast, meeting, with_audio, client
):
    html = signed_in(client, cast.auditor).get(reverse("meeting-detail", args=["tcx", meeting.pk]))

    page = html.content.decode()
    audio_url = reverse("audio-stream", args=["tcx", cast.client_interview.pk])
    assert f'src="{audio_url}#t=61,75.5"' in page
    assert 'data-start="61000" data-end="75500"' in page
    assert "js/meeting_passages.js" in page
    assert cast.revision.text[66:90] in page
    assert "<strong>twice</strong>" in page
    for pattern, what in INLINE:
        assert not pattern.search(page), what


def test_the_meeting_page_lists_the_decisions_taken_in_it(cast, meeting, client):
    code = factories.CodeFactory(study=cast.study, name="Safety")
    code_update(actor=cast.owner, code=code, definition="Redefined.", meeting=meeting)

    page = signed_in(client, cast.analyst).get(reverse("meeting-detail", args=["tcx", meeting.pk]))

    assert re.search(r"Redefine code.*Safety", page.content.decode(), re.S)


def test_the_meeting_page_takes_a_fixed_number_of_queries(
    cast, meeting, client, django_assert_max_num_queries
):
    for second in range(5):
        MeetingPassage.objects.create(
            meeting=meeting,
            interview=cast.client_interview,
            t_start=second * 1_000,
            t_end=second * 1_000 + 500,
            added_by=cast.owner,
        )
    client = signed_in(client, cast.analyst)

    with django_assert_max_num_queries(14):
        assert client.get(reverse("meeting-detail", args=["tcx", meeting.pk])).status_code == 200


def test_an_analyst_records_a_meeting_from_the_page_and_bad_input_is_shown(cast, client):
    client = signed_in(client, cast.analyst)
    url = reverse("meeting-create", args=["tcx"])

    bad = client.post(url, {"date": "not a date", "title": "Workshop"})
    good = client.post(
        url, {"date": "2026-06-10", "title": "Workshop", "attendees": [cast.owner.pk]}
    )

    assert bad.status_code == 400
    assert "Enter a valid date" in bad.content.decode()
    assert good.status_code == 302


def test_an_auditor_may_read_meetings_but_not_record_them(cast, meeting, client):
    client = signed_in(client, cast.auditor)

    assert client.get(reverse("meeting-list", args=["tcx"])).status_code == 200
    assert client.get(reverse("meeting-create", args=["tcx"])).status_code == 403


def test_the_api_adds_and_removes_passages(cast, meeting):
    client = api_as(cast.analyst)

    added = client.post(
        "/api/v1/meeting-passages/",
        {"meeting": meeting.pk, "interview": cast.client_interview.pk, "t_start": 0, "t_end": 900},
        format="json",
    )
    removed = client.delete(f"/api/v1/meeting-passages/{added.data['id']}/")
    listed = client.get(f"/api/v1/meeting-passages/?meeting={meeting.pk}")

    assert added.status_code == 201, added.data
    assert removed.status_code == 204
    assert listed.data["count"] == 0
    assert MeetingPassage.objects.get().removed_at is not None
