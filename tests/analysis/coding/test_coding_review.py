"""Reviewing codings flagged by a correction: accept, adjust, remove; bad input refused."""

import pytest
from django.test import Client
from django.urls import reverse

from analysis.coding.models import CodingReview, ReviewOutcome, SessionState
from analysis.coding.services.reviews import (
    coding_review_accept,
    coding_review_adjust,
    coding_review_remove,
)
from dyads.exceptions import DomainError, Forbidden
from dyads.models import AuditEvent
from interviews.services.transcripts import transcript_revision_create
from tests import factories

OLD = "I said: she held my hand. Then a sentence that goes."
NEW = "I said: she held my arm."


@pytest.fixture
def flagged(cast):
    """Two codings of the analyst's, one whose words changed, one whose text vanished."""
    interview = factories.InterviewFactory(participant=cast.dyad.client, dyad=cast.dyad)
    revision = factories.revision_for(interview, text=OLD)
    code = factories.CodeFactory(study=cast.study, name="Touch")
    changed = factories.CodingFactory(
        revision=revision, code=code, coder=cast.analyst, start=8, end=24
    )
    vanished = factories.CodingFactory(
        revision=revision, code=code, coder=cast.analyst, start=31, end=51
    )
    new = transcript_revision_create(actor=cast.owner, interview=interview, text=NEW, turns=[])
    changed.refresh_from_db()
    vanished.refresh_from_db()
    return interview, new, changed, vanished


def test_accepting_clears_the_flag_and_closes_the_review(cast, flagged):
    _, _, changed, _ = flagged

    coding_review_accept(actor=cast.analyst, coding=changed)

    changed.refresh_from_db()
    assert not changed.needs_review
    review = changed.reviews.get()
    assert review.outcome == ReviewOutcome.ACCEPTED and review.closed_by == cast.analyst
    assert AuditEvent.objects.filter(action="coding.review_accept").count() == 1


def test_adjusting_puts_a_vanished_coding_on_the_current_revision(cast, flagged):
    _, new, _, vanished = flagged

    coding_review_adjust(actor=cast.analyst, coding=vanished, start=19, end=23)

    vanished.refresh_from_db()
    assert (vanished.revision_id, vanished.start, vanished.end) == (new.pk, 19, 23)
    assert not vanished.needs_review
    assert vanished.reviews.get().outcome == ReviewOutcome.ADJUSTED


def test_removing_soft_deletes_the_coding(cast, flagged):
    _, _, changed, _ = flagged

    coding_review_remove(actor=cast.analyst, coding=changed)

    changed.refresh_from_db()
    assert changed.deleted_at is not None
    assert changed.reviews.get().outcome == ReviewOutcome.REMOVED


@pytest.mark.parametrize(("start", "end"), [(0, 0), (5, 3), (0, len(NEW) + 1), (30, 40)])
def test_an_adjustment_outside_the_text_is_refused_and_changes_nothing(cast, flagged, start, end):
    _, _, changed, _ = flagged
    before = (changed.revision_id, changed.start, changed.end)

    with pytest.raises(DomainError) as refused:
        coding_review_adjust(actor=cast.analyst, coding=changed, start=start, end=end)

    assert "within the text" in str(refused.value.detail["start"])
    changed.refresh_from_db()
    assert (changed.revision_id, changed.start, changed.end) == before
    assert changed.needs_review
    assert CodingReview.objects.get(coding=changed).closed_at is None


def test_a_coding_not_waiting_for_review_is_refused(cast, flagged):
    _, _, changed, _ = flagged
    coding_review_accept(actor=cast.analyst, coding=changed)

    with pytest.raises(DomainError) as refused:
        coding_review_accept(actor=cast.analyst, coding=changed)
    assert "not waiting for review" in str(refused.value.detail["coding"])


def test_another_analyst_may_not_review_someone_elses_coding(cast, flagged):
    _, _, changed, _ = flagged
    other = factories.UserFactory()
    factories.MembershipFactory(study=cast.study, user=other, role="analyst")

    with pytest.raises(Forbidden):
        coding_review_accept(actor=other, coding=changed)


def test_a_closed_sessions_coding_may_be_accepted_but_not_adjusted(cast, flagged):
    _, _, changed, _ = flagged
    session = factories.CodingSessionFactory(study=cast.study, state=SessionState.CLOSED)
    changed.session = session
    changed.save(update_fields=["session"])

    with pytest.raises(DomainError):
        coding_review_adjust(actor=cast.analyst, coding=changed, start=0, end=4)
    coding_review_accept(actor=cast.analyst, coding=changed)


def test_the_review_page_lists_old_text_and_new_context_and_acts(cast, flagged):
    interview, _, changed, _vanished = flagged
    client = Client()
    client.force_login(cast.analyst)
    url = reverse("coding-review", args=[cast.study.slug, interview.pk])

    page = client.get(url).content.decode()
    assert "she held my hand" in page and "<mark>she held my arm</mark>" in page
    assert "a sentence that goes" in page and "text is gone" in page

    refused = client.post(url, {"coding": changed.pk, "action": "adjust", "start": 3, "end": 99})
    assert "within the text" in refused.content.decode()
    done = client.post(url, {"coding": changed.pk, "action": "accept"})
    assert done.status_code == 302
    changed.refresh_from_db()
    assert not changed.needs_review


def test_the_import_preview_warns_before_a_new_revision_over_codings(cast, flagged):
    from interviews.selectors import revision_impact

    interview, _new, _changed, _ = flagged
    impact = revision_impact(interview=interview, new_text="I said: she held my arm!")

    assert impact == [
        "This transcript has 1 coding by 1 coder: 1 will carry over unchanged, 0 will need "
        "review (0 changed, 0 whose text is gone), and 0 sit in closed sessions."
    ]
