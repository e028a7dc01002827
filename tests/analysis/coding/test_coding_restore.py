"""Undoing a removal: `POST /api/v1/codings/{id}/restore/` brings a removed coding back as
it was, audited; refused in a closed session, for a retired code, for a coding that is
not removed and when the coder has since made the same coding again."""

import pytest

from analysis.coding.models import Coding, SessionMode
from analysis.coding.services.codebook import code_merge
from analysis.coding.services.codings import coding_create, coding_delete
from analysis.coding.services.sessions import coding_session_close, coding_session_create
from dyads.models import AuditEvent
from tests import factories
from tests.conftest import api_as


@pytest.fixture
def code(cast):
    return factories.CodeFactory(study=cast.study, name="Safety")


@pytest.fixture
def removed(cast, code):
    coding = coding_create(actor=cast.analyst, revision=cast.revision, start=3, end=9, code=code)
    coding_delete(actor=cast.analyst, coding=coding)
    return coding


def restore(user, coding):
    return api_as(user).post(f"/api/v1/codings/{coding.pk}/restore/")


def state(coding) -> tuple:
    row = Coding.objects.get(pk=coding.pk)
    return row.deleted_at, row.code_id, AuditEvent.objects.count()


def test_a_coder_restores_their_removed_coding_as_it_was(cast, code, removed):
    response = restore(cast.analyst, removed)

    assert response.status_code == 200, response.data
    assert (response.data["id"], response.data["start"], response.data["end"]) == (removed.pk, 3, 9)
    assert response.data["code"] == response.data["coded_as"] == code.pk
    assert Coding.objects.get(pk=removed.pk).deleted_at is None
    event = AuditEvent.objects.filter(action="coding.restore").get()
    assert event.object_id == str(removed.pk)
    assert event.new_value["code"] == code.pk


def test_the_restored_coding_is_listed_again(cast, removed):
    restore(cast.analyst, removed)

    listed = api_as(cast.analyst).get(f"/api/v1/codings/?revision={cast.revision.pk}")

    assert [row["id"] for row in listed.data["results"]] == [removed.pk]


def test_restoring_a_live_coding_is_refused(cast, code):
    coding = coding_create(actor=cast.analyst, revision=cast.revision, start=3, end=9, code=code)
    before = state(coding)

    response = restore(cast.analyst, coding)

    assert response.status_code == 400
    assert "has not been removed" in response.data["coding"]
    assert state(coding) == before


def test_restoring_what_the_coder_has_made_again_is_refused(cast, code, removed):
    again = coding_create(actor=cast.analyst, revision=cast.revision, start=3, end=9, code=code)
    before = state(removed)

    response = restore(cast.analyst, removed)

    assert response.status_code == 400
    assert "restoring would duplicate it" in response.data["code"]
    assert state(removed) == before
    assert Coding.objects.get(pk=again.pk).deleted_at is None


def test_restoring_in_a_closed_session_is_refused_with_the_reason(cast, code):
    session = coding_session_create(
        actor=cast.owner,
        study=cast.study,
        name="Round 1",
        mode=SessionMode.OPEN,
        coders=[cast.analyst],
        transcripts=[cast.revision.transcript],
    )
    coding = coding_create(
        actor=cast.analyst, revision=cast.revision, start=3, end=9, code=code, session=session
    )
    coding_delete(actor=cast.analyst, coding=coding)
    coding_session_close(actor=cast.owner, session=session)
    before = state(coding)

    response = restore(cast.analyst, coding)

    assert response.status_code == 400
    assert response.data["session"] == "Session 'Round 1' is closed; its codings are final."
    assert state(coding) == before


def test_restoring_a_coding_whose_code_was_merged_since_is_refused(cast, code, removed):
    other = factories.CodeFactory(study=cast.study, name="Trust")
    code_merge(actor=cast.owner, code=code, into=other, rationale="One idea")
    before = state(removed)

    response = restore(cast.analyst, removed)

    assert response.status_code == 400
    assert "has been retired since" in response.data["code"]
    assert state(removed) == before


def test_another_analyst_may_not_restore_someone_elses_coding(cast, removed):
    other = factories.UserFactory(username="kari")
    factories.MembershipFactory(study=cast.study, user=other)
    before = state(removed)

    assert restore(other, removed).status_code == 403
    assert state(removed) == before


def test_an_outsider_gets_404(cast, removed):
    assert restore(cast.outsider, removed).status_code == 404
