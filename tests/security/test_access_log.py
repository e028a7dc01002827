"""Every read of a transcript is recorded, and owners and auditors can browse the log."""

from django.test import Client
from django.urls import reverse

from dyads.models import AccessAction, AccessEvent
from tests.conftest import api_as


def test_reading_a_transcript_through_the_api_is_recorded(cast):
    transcript = cast.revision.transcript
    response = api_as(cast.analyst).get(f"/api/v1/transcripts/{transcript.pk}/")
    assert response.status_code == 200
    event = AccessEvent.objects.get()
    assert (event.user, event.study, event.action) == (
        cast.analyst,
        cast.study,
        AccessAction.READ_TRANSCRIPT,
    )
    assert event.object_id == str(transcript.pk)


def test_opening_the_interview_page_is_recorded(cast):
    client = Client()
    client.force_login(cast.interviewer)
    client.get(reverse("interview-detail", args=["tcx", cast.client_interview.pk]))
    event = AccessEvent.objects.get()
    assert event.user == cast.interviewer and event.ip_address == "127.0.0.1"


def test_a_refused_read_records_nothing(cast):
    api_as(cast.outsider).get(f"/api/v1/transcripts/{cast.revision.transcript_id}/")
    assert not AccessEvent.objects.exists()


def test_owners_and_auditors_browse_the_log_others_may_not(cast):
    api_as(cast.analyst).get(f"/api/v1/transcripts/{cast.revision.transcript_id}/")
    url = reverse("study-access-log", args=["tcx"])
    client = Client()
    for user, status in [(cast.owner, 200), (cast.auditor, 200), (cast.analyst, 403)]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
    client.force_login(cast.auditor)
    assert b"Read a transcript" in client.get(url + "?user=analyst").content
    listed = api_as(cast.auditor).get(f"/api/v1/access-events/?study={cast.study.pk}&user=analyst")
    assert listed.data["count"] == 1
