"""An auditor works through a study in a real browser: reads the trail filtered to one
person, comments on a decision, draws an audit round and records a finding, and
downloads the audit report."""

import re

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.analysis.audit_setup import redefined_code_story

pytestmark = pytest.mark.browser


@pytest.fixture
def story(cast):
    for user, first, last in (
        (cast.owner, "Olga", "Owner"),
        (cast.analyst, "Ana", "Lyst"),
        (cast.auditor, "Audun", "Dahl"),
    ):
        user.first_name, user.last_name = first, last
        user.save()
    return redefined_code_story(cast)


def test_an_auditor_reads_the_trail_comments_audits_and_downloads_the_report(
    cast, story, page, sign_in, screenshot
):
    sign_in(page, cast.auditor)
    page.goto("/studies/tcx/audit/")
    page.get_by_label("Person").select_option(label="Olga Owner")
    page.get_by_role("button", name="Filter").click()

    sentences = page.locator(".audit-sentence")
    expect(sentences.first).to_contain_text("Olga Owner recorded the decision “Redefine code")
    expect(sentences.nth(1)).to_contain_text("Olga Owner revised the code “Safety”")
    for sentence in sentences.all():
        expect(sentence).to_contain_text("Olga Owner")
    expect(page.locator(".audit-event").nth(1).locator(".audit-changes")).to_contain_text(
        "Feeling safe. → Safe enough to speak about the therapist."
    )
    screenshot("audit-timeline")

    page.locator(".subnav").get_by_role("link", name="Decision log").click()
    redefined = page.locator(".decision").filter(has_text="Redefine code")
    redefined.locator("summary").click()
    redefined.get_by_label("Audit comment").fill("Was the room ruled out in the meeting?")
    redefined.get_by_role("button", name="Add comment").click()
    expect(page.locator(".decision").filter(has_text="Redefine code")).to_contain_text("Audun Dahl")
    expect(page.locator(".audit-comment")).to_contain_text("Was the room ruled out in the meeting?")

    page.goto("/studies/tcx/audit/rounds/")
    page.get_by_label("Title").fill("Spring audit")
    page.get_by_label("Coder").check()
    page.get_by_label("Passages per stratum").fill("1")
    page.get_by_role("button", name="Draw the sample").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Spring audit")
    findings = page.locator(".finding")
    expect(findings).to_have_count(2)
    first = findings.first
    expect(first.locator("mark")).to_contain_text("Like walking into a dark room")
    expect(first.locator(".coder-codes")).to_contain_text("Safety")
    first.get_by_label("Query").check()
    first.get_by_label("Comment").fill("Is the dark room the therapy or the illness?")
    first.get_by_role("button", name="Record finding").click()
    expect(page.locator(".finding").first.locator(".tag")).to_have_text("Query")
    expect(page.locator(".finding").first).to_contain_text(
        "Is the dark room the therapy or the illness?"
    )
    screenshot("audit-round")

    page.locator(".subnav").get_by_role("link", name="Timeline").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="audit report (DOCX)").click()
    document = Document(str(download.value.path()))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert "Was the room ruled out in the meeting?" in text
    assert "Is the dark room the therapy or the illness?" in text
    assert "definition: Safe enough to speak about the therapist." in text
    assert re.search(r"Audun Dahl drew the audit round “Spring audit”", text)
