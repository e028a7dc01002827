"""The review queue API: a corrected transcript's flagged codings, accepted, adjusted or
removed; bad input refused with the data left as it was."""

import pytest

from analysis.coding.models import Coding, CodingReview, ReviewOutcome, SessionState
from dyads.models import AuditEvent
from interviews.services.transcripts import transcript_revision_create
from tests import factories
from tests.conftest import api_as

OLD = "I said: she held my hand. Then a sentence that goes."
NEW = "I said: she held my arm."


@pytest.fixture
def flagged(cast):
    """The analyst's codings of a corrected transcript: one changed, one vanished, one not."""
    interview = factories.InterviewFactory(participant=cast.dyad.client, dyad=cast.dyad)
    revision = factories.revision_for(interview, text=OLD)
    code = factories.CodeFactory(study=cast.study, name="Touch")
    spans = {"changed": (8, 24), "vanished": (31, 51), "unchanged": (0, 6)}
    codings = {
        name: factories.CodingFactory(
            revision=revision, code=code, coder=cast.analyst, start=start, end=end
        )
        for name, (start, end) in spans.items()
    }
    new = transcript_revision_create(actor=cast.owner, interview=interview, text=NEW, turns=[])
    for coding in codings.values():
        coding.refresh_from_db()
    return interview.transcript, revision, new, codings


def test_the_queue_lists_each_flagged_coding_with_its_old_text_and_new_context(cast, flagged):
    transcript, old, new, codings = flagged

    response = api_as(cast.analyst).get(f"/api/v1/coding-reviews/?transcript={transcript.pk}")

    assert response.status_code == 200, response.data
    items = {item["coding"]: item for item in response.data}
    assert set(items) == {codings["changed"].pk, codings["vanished"].pk}
    changed = items[codings["changed"].pk]
    assert changed["state"] == "changed" and changed["code_name"] == "Touch"
    assert changed["was"] == {"revision": old.pk, "start": 8, "end": 24, "text": "she held my hand"}
    assert changed["now"] == {
        "revision": new.pk,
        "start": 8,
        "end": 23,
        "before": "I said: ",
        "text": "she held my arm",
        "after": ".",
    }
    vanished = items[codings["vanished"].pk]
    assert vanished["state"] == "vanished" and vanished["now"] is None
    assert vanished["was"]["text"] == "a sentence that goes"


def test_accept_clears_the_flag_and_is_audited(cast, flagged):
    *_, codings = flagged
    coding = codings["changed"]

    response = api_as(cast.analyst).post(f"/api/v1/coding-reviews/{coding.pk}/accept/")

    assert response.status_code == 200, response.data
    assert response.data["id"] == coding.pk
    coding.refresh_from_db()
    assert not coding.needs_review
    assert coding.reviews.get().outcome == ReviewOutcome.ACCEPTED
    assert AuditEvent.objects.filter(action="coding.review_accept").count() == 1


def test_adjust_puts_a_vanished_coding_on_the_new_revision(cast, flagged):
    _, _, new, codings = flagged
    coding = codings["vanished"]

    response = api_as(cast.analyst).post(
        f"/api/v1/coding-reviews/{coding.pk}/adjust/", {"start": 20, "end": 23}, format="json"
    )

    assert response.status_code == 200, response.data
    coding.refresh_from_db()
    assert (coding.revision_id, coding.start, coding.end, coding.needs_review) == (
        new.pk,
        20,
        23,
        False,
    )
    assert NEW[coding.start : coding.end] == "arm"


def test_remove_soft_deletes_the_coding(cast, flagged):
    *_, codings = flagged
    coding = codings["changed"]

    response = api_as(cast.analyst).post(f"/api/v1/coding-reviews/{coding.pk}/remove/")

    assert response.status_code == 200, response.data
    coding.refresh_from_db()
    assert coding.deleted_at is not None
    assert coding.reviews.get().outcome == ReviewOutcome.REMOVED


def assert_untouched(coding: Coding) -> None:
    before = (coding.revision_id, coding.start, coding.end, coding.deleted_at)
    coding.refresh_from_db()
    assert (coding.revision_id, coding.start, coding.end, coding.deleted_at) == before
    assert coding.needs_review
    assert CodingReview.objects.get(coding=coding).closed_at is None


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"start": 20, "end": 99}, "start", "within the text"),
        ({"start": 10, "end": 10}, "start", "within the text"),
        ({"start": -1, "end": 4}, "start", "greater than or equal to 0"),
        ({"start": 3}, "end", "required"),
        ({"start": "three", "end": 4}, "start", "valid integer"),
    ],
)
def test_an_adjustment_outside_the_text_is_refused_and_changes_nothing(
    cast, flagged, body, field, message
):
    *_, codings = flagged
    coding = codings["changed"]

    response = api_as(cast.analyst).post(
        f"/api/v1/coding-reviews/{coding.pk}/adjust/", body, format="json"
    )

    assert response.status_code == 400
    assert message in str(response.data[field])
    assert_untouched(coding)


def test_a_closed_sessions_coding_may_be_accepted_but_not_adjusted_or_removed(cast, flagged):
    *_, codings = flagged
    coding = codings["changed"]
    session = factories.CodingSessionFactory(study=cast.study, state=SessionState.CLOSED)
    Coding.objects.filter(pk=coding.pk).update(session=session)
    client = api_as(cast.analyst)

    adjusted = client.post(
        f"/api/v1/coding-reviews/{coding.pk}/adjust/", {"start": 0, "end": 4}, format="json"
    )
    removed = client.post(f"/api/v1/coding-reviews/{coding.pk}/remove/")

    for response in (adjusted, removed):
        assert response.status_code == 400
        assert "is closed" in str(response.data["session"])
    assert_untouched(coding)
    assert client.post(f"/api/v1/coding-reviews/{coding.pk}/accept/").status_code == 200


def test_another_studys_coding_is_missing_like_one_that_does_not_exist(cast, flagged):
    transcript, *_, codings = flagged
    coding = codings["changed"]
    outsider = api_as(cast.outsider)

    foreign = outsider.post(f"/api/v1/coding-reviews/{coding.pk}/accept/")
    missing = outsider.post("/api/v1/coding-reviews/999999/accept/")
    listed = outsider.get(f"/api/v1/coding-reviews/?transcript={transcript.pk}")
    nowhere = outsider.get("/api/v1/coding-reviews/?transcript=999999")

    assert foreign.status_code == missing.status_code == 404
    assert foreign.data == missing.data
    assert listed.status_code == nowhere.status_code == 400
    assert str(listed.data["transcript"][0]).replace(str(transcript.pk), "N") == str(
        nowhere.data["transcript"][0]
    ).replace("999999", "N")
    assert_untouched(coding)


def test_a_coding_not_flagged_is_missing_from_the_queue_actions(cast, flagged):
    *_, codings = flagged

    response = api_as(cast.analyst).post(
        f"/api/v1/coding-reviews/{codings['unchanged'].pk}/accept/"
    )

    assert response.status_code == 404


def test_an_interviewer_may_not_read_the_queue(cast, flagged):
    transcript, *_ = flagged

    response = api_as(cast.interviewer).get(f"/api/v1/coding-reviews/?transcript={transcript.pk}")

    assert response.status_code in (403, 404)
