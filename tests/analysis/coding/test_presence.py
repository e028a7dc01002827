"""Presence on the coding page: each open page sends a heartbeat and hears
which members of the study have the same transcript open; a member whose
page stopped beating drops off after PRESENCE_SECONDS."""

import time

import pytest

from analysis.coding.selectors import live
from tests import factories
from tests.conftest import api_as


def heartbeat(user, revision):
    return api_as(user).post(f"/api/v1/revisions/{revision.pk}/presence/", {}, format="json")


def test_a_heartbeat_answers_everyone_on_the_transcript_by_name(cast):
    cast.owner.first_name, cast.owner.last_name = "Olga", "Berg"
    cast.owner.save()
    heartbeat(cast.owner, cast.revision)

    response = heartbeat(cast.analyst, cast.revision)

    assert response.status_code == 200
    assert response.data["present"] == [
        {"username": "analyst", "name": "analyst"},
        {"username": "owner", "name": "Olga Berg"},
    ]


def test_someone_on_another_transcript_is_not_listed(cast):
    elsewhere = factories.revision_for(cast.therapist_interview)
    heartbeat(cast.owner, elsewhere)

    response = heartbeat(cast.analyst, cast.revision)

    assert [person["username"] for person in response.data["present"]] == ["analyst"]


def test_a_member_whose_page_went_quiet_drops_off(cast, monkeypatch):
    monkeypatch.setattr(live, "PRESENCE_SECONDS", 1)
    heartbeat(cast.owner, cast.revision)
    time.sleep(1.2)

    response = heartbeat(cast.analyst, cast.revision)

    assert [person["username"] for person in response.data["present"]] == ["analyst"]


@pytest.mark.parametrize("role", ["interviewer", "outsider"])
def test_who_may_not_read_the_analysis_gets_404_and_is_not_listed(cast, role):
    response = heartbeat(cast.user(role), cast.revision)

    assert response.status_code == 404
    listed = heartbeat(cast.analyst, cast.revision).data["present"]
    assert [person["username"] for person in listed] == ["analyst"]
