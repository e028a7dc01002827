"""A supervisor opens a highlight on the coding page, follows "Why is this coded X?"
and reaches the meeting where the code was redefined — by clicking, in a real browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.analysis.audit_setup import redefined_code_story

pytestmark = pytest.mark.browser


def test_a_supervisor_follows_a_highlight_to_the_meeting_that_redefined_its_code(
    cast, page, sign_in, screenshot
):
    story = redefined_code_story(cast)
    sign_in(page, cast.auditor)
    coding_page = reverse("coding-page", args=["tcx", cast.client_interview.pk])
    page.goto(f"{coding_page}?session={story.session.pk}")
    expect(page.locator(".coding-workspace.is-ready")).to_be_visible()

    page.locator(".hl").first.click()
    panel = page.get_by_role("complementary", name="Codings here")
    expect(panel).to_be_visible()
    screenshot("coding-panel-why")
    panel.get_by_role("link", name="Why is this coded Safety?").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Why is this passage coded “Safety”?")
    decisions = page.get_by_role("region", name="Decisions that shaped “Safety”")
    expect(decisions).to_contain_text("Redefine code")
    expect(decisions).to_contain_text("since this coding")
    screenshot("why-coded")
    decisions.get_by_role("link", name="Second analytic meeting").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Second analytic meeting")
    taken = page.get_by_role("region", name="Decisions taken")
    expect(taken).to_contain_text("Redefine code")
    expect(taken).to_contain_text("Safe enough to speak about the therapist.")
    assert page.url.endswith(reverse("meeting-detail", args=["tcx", story.meeting.pk]))
