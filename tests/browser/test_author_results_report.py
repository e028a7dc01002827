"""An author goes from the themes to the results report of the demo study: reads the
procedure, the prevalence and the warnings on the chosen quotes, and downloads the DOCX."""

from io import StringIO

import pytest
from django.core.management import call_command
from docx import Document
from playwright.sync_api import expect

from dyads.models import Study

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=StringIO())
    return Study.objects.get(slug="demo")


def test_an_author_reads_the_procedure_and_warnings_and_downloads_the_docx(
    demo, page, sign_in, screenshot
):
    owner = demo.memberships.get(role="owner").user
    sign_in(page, owner)

    page.goto("/studies/demo/themes/")
    page.get_by_role("navigation", name="Themes and results").get_by_role(
        "link", name="Results report"
    ).click()

    expect(page.get_by_role("heading", name="Results report", exact=True)).to_be_visible()
    checks = page.locator(".report-quote-checks")
    expect(checks).to_contain_text("All three therapist quotes of the report come from T3")
    preview = page.locator(".report-preview")
    expect(preview.get_by_role("heading", name="Procedure")).to_be_visible()
    expect(preview.locator(".report-procedure")).to_contain_text("6 therapists gave 24 interviews")
    expect(preview.locator(".report-procedure")).to_contain_text("Krippendorff's α")
    expect(preview.locator("svg#recruitment-flow")).to_be_visible()
    expect(preview.locator(".report-key")).to_contain_text("C = client, T = therapist")
    expect(preview.locator(".report-prevalence").first).to_contain_text("of 6 dyads")
    screenshot("results-report")

    acknowledgement = page.locator("#acknowledge")  # the download's, not the clearance's
    if acknowledgement.count():
        acknowledgement.check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download DOCX").click()

    assert download.value.suggested_filename == "demo-results.docx"
    document = Document(str(download.value.path()))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "6 therapists gave 24 interviews" in text
    assert "C = client, T = therapist" in text
    assert "Figure 1. Recruitment flow of therapists and clients" in text
    assert len(document.inline_shapes) == 1
