"""Names before import, in a real browser: the preview of a file with a near miss of a
listed name and names not on the list; the interviewer proposes one and cannot import; the
owner adds a name, marks the names reviewed; the interviewer imports. An upload is
discarded from the preview."""

import pytest
from playwright.sync_api import expect

from interviews.models import ImportUpload, PseudonymProposal, PseudonymReplacement
from interviews.services.pseudonyms import replacement_create

pytestmark = pytest.mark.browser

TEXT = "I: Who helped you?\n\nC: Ingrids sister, and Magnus from Sogndal. Then Ingri came.\n"


@pytest.fixture
def held(cast):
    cast.study.require_name_review = True
    cast.study.save(update_fields=["require_name_review"])
    replacement_create(actor=cast.owner, study=cast.study, original="Ingrid", replacement="[t]")
    return cast


@pytest.fixture
def held_jobs(monkeypatch):
    monkeypatch.setattr("interviews.services.imports.job_send", lambda task, job: None)


def upload(page, cast, tmp_path):
    path = tmp_path / "interview.txt"
    path.write_text(TEXT, encoding="utf-8")
    page.goto(f"/studies/tcx/interviews/{cast.therapist_interview.pk}/import/")
    page.get_by_label("Transcript file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import preview")


def test_names_are_reviewed_before_the_import(held, held_jobs, page, sign_in, tmp_path):
    sign_in(page, held.interviewer)
    upload(page, held, tmp_path)

    findings = page.locator(".name-findings tbody tr")
    expect(page.locator(".finding-near_miss")).to_have_count(2)
    expect(page.locator(".finding-near_miss").first).to_contain_text("close to “Ingrid”")
    expect(findings.filter(has_text="Magnus")).to_contain_text("not a common word")
    expect(findings.filter(has_text="Sogndal")).to_have_count(1)
    expect(page.get_by_role("button", name="Import")).to_be_disabled()
    page.get_by_label("Pseudonym for Magnus").fill("[brother]")
    findings.filter(has_text="Magnus").get_by_role("button", name="Propose").click()
    expect(page.locator(".message").first).to_contain_text("Proposed")
    assert PseudonymProposal.objects.get().original == "Magnus"

    sign_in(page, held.owner)
    page.goto("/studies/tcx/pseudonyms/")
    page.get_by_role("link", name="interview.txt").click()
    page.get_by_label("Pseudonym for Sogndal").fill("[town]")
    findings.filter(has_text="Sogndal").get_by_role("button", name="Add").click()
    expect(page.locator(".replacement-report")).to_contain_text("Sogndal")
    page.get_by_role("button", name="I have reviewed these names").click()
    expect(page.locator(".message-success").last).to_contain_text("Reviewed by owner")

    sign_in(page, held.interviewer)
    page.goto(f"/studies/tcx/imports/uploads/{ImportUpload.objects.get().pk}/")
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".job-state")).to_have_text("Queued, 0%")
    assert PseudonymReplacement.objects.filter(original="Sogndal").exists()


def test_an_upload_is_discarded_from_the_preview(held, page, sign_in, tmp_path):
    sign_in(page, held.interviewer)
    upload(page, held, tmp_path)

    page.get_by_role("button", name="Discard this file").click()

    expect(page.locator(".message").first).to_contain_text("was discarded")
    assert not ImportUpload.objects.exists()
