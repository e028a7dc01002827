"""Every page of meetings, decisions, the journal and the audit renders for the roles
that may see it, with no inline script or style, in a bounded number of queries."""

import pytest
from django.urls import reverse

from analysis.deliberation.services.journal import journal_entry_create
from analysis.supervision.services import audit_round_draw
from tests.analysis.audit_setup import redefined_code_story, signed_in
from tests.pages.test_no_inline_code import INLINE


@pytest.fixture
def story(cast):
    story = redefined_code_story(cast)
    journal_entry_create(
        actor=cast.owner, study=cast.study, date=story.meeting.date, text="Shared.", shared=True
    )
    audit_round_draw(actor=cast.auditor, study=cast.study, title="R", strata=[], per_stratum=1)
    return story


def pages(cast, story) -> list[tuple[str, str]]:
    round_id = cast.study.audit_rounds.get().pk
    return [
        ("auditor", reverse("meeting-list", args=["tcx"])),
        ("auditor", reverse("meeting-detail", args=["tcx", story.meeting.pk])),
        ("owner", reverse("meeting-edit", args=["tcx", story.meeting.pk])),
        ("analyst", reverse("decision-log", args=["tcx"])),
        ("owner", reverse("decision-log", args=["tcx"])),
        ("analyst", reverse("journal", args=["tcx"])),
        ("auditor", reverse("coding-why", args=["tcx", story.coding.pk])),
        ("auditor", reverse("code-history", args=["tcx", story.code.pk])),
        ("auditor", reverse("audit-timeline", args=["tcx"])),
        ("auditor", reverse("audit-timeline", args=["tcx"]) + f"?code={story.code.pk}"),
        ("auditor", reverse("audit-verify", args=["tcx"])),
        ("auditor", reverse("audit-coders", args=["tcx"])),
        ("auditor", reverse("audit-rounds", args=["tcx"])),
        ("auditor", reverse("audit-round", args=["tcx", round_id])),
    ]


def test_each_page_renders_without_inline_code_in_bounded_queries(
    cast, story, client, django_assert_max_num_queries
):
    for role, url in pages(cast, story):
        page_client = signed_in(client, cast.user(role))
        with django_assert_max_num_queries(40):
            response = page_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for pattern, what in INLINE:
            assert not pattern.search(html), f"{url} has an {what}"


def test_the_timeline_filters_by_meeting_and_names_a_bad_filter(cast, story, client):
    client = signed_in(client, cast.auditor)
    url = reverse("audit-timeline", args=["tcx"])

    by_meeting = client.get(f"{url}?meeting={story.meeting.pk}").content.decode()
    bad = client.get(f"{url}?from=yesterday")

    assert "revised the code" not in by_meeting  # the redefinition itself is about the code
    assert "recorded the decision" in by_meeting
    assert "recorded the meeting" in by_meeting
    assert bad.status_code == 400
    assert "&#x27;yesterday&#x27; is not a date" in bad.content.decode()


def test_analysts_and_interviewers_do_not_see_the_audit_pages(cast, story, client):
    for role in ("analyst", "interviewer"):
        answer = signed_in(client, cast.user(role)).get(reverse("audit-timeline", args=["tcx"]))
        assert answer.status_code == 403


def test_the_meeting_edit_form_holds_the_meeting_as_it_is(cast, story, client):
    meeting = story.meeting

    html = signed_in(client, cast.owner).get(reverse("meeting-edit", args=["tcx", meeting.pk]))

    content = html.content.decode()
    assert f'value="{meeting.date:%Y-%m-%d}"' in content
    assert f'value="{meeting.title}"' in content
