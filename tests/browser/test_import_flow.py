"""An interviewer imports a transcript in a real browser: upload, preview, speaker roles,
a progress bar that follows the job without a reload; then plays the recording from a turn."""

import re

import pytest
from playwright.sync_api import expect

from interviews.models import ImportJob
from interviews.services.imports import import_job_run
from tests.interviews import samples

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in(page, sign_in, cast):
    sign_in(page, cast.interviewer)
    return page


@pytest.fixture
def held_jobs(monkeypatch):
    """Queued jobs wait until the test runs them, as they would for a busy worker."""
    monkeypatch.setattr("interviews.services.imports.job_send", lambda task, job: None)


@pytest.fixture
def pseudonyms(cast):
    return samples.add_replacements(cast.study, cast.owner)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_an_import_is_previewed_confirmed_and_followed_to_the_end(
    cast, pseudonyms, held_jobs, signed_in, tmp_path, screenshot
):
    page = signed_in
    vtt = tmp_path / "kari.vtt"
    vtt.write_bytes(samples.VTT.encode())
    interview = cast.therapist_interview

    page.goto(f"/studies/tcx/interviews/{interview.pk}/import/")
    page.get_by_label("Transcript file").set_input_files(str(vtt))
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Import preview: [client].vtt")
    expect(page.locator(".speaker-table tbody tr")).to_have_count(2)
    expect(page.locator(".replacement-report")).to_contain_text("Åse")
    expect(page.locator(".transcript .turn").nth(1)).to_contain_text("My sister [client's sister]")
    screenshot("import-preview")
    page.get_by_label("Role of [client]").select_option("participant")
    page.get_by_role("button", name="Import").click()

    state = page.locator(".job-state")
    expect(state).to_have_text("Queued, 0%")
    import_job_run(job_id=ImportJob.objects.get().pk)

    expect(state).to_have_text("Succeeded")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.get_by_role("link", name="Read the transcript")).to_be_visible()
    screenshot("import-done")


def test_a_bad_file_is_refused_on_the_page_with_its_name_and_reason(cast, signed_in, tmp_path):
    page = signed_in
    fake = tmp_path / "interview.docx"
    fake.write_bytes(samples.make_pdf())

    page.goto(f"/studies/tcx/interviews/{cast.therapist_interview.pk}/import/")
    page.get_by_label("Transcript file").set_input_files(str(fake))
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.locator(".field .error")).to_have_text(
        "interview.docx: the name says .docx but the content is pdf."
    )


def test_a_clicked_turn_plays_the_recording_from_its_time(cast, signed_in, tmp_path):
    from interviews.services.imports import transcript_import

    job = transcript_import(
        actor=cast.interviewer,
        interview=cast.therapist_interview,
        file_name="kari.vtt",
        content=samples.VTT.encode(),
        enqueue=False,
    )
    import_job_run(job_id=job.pk)
    wav = tmp_path / "recording.wav"
    wav.write_bytes(samples.make_wav(seconds=70))
    page = signed_in

    page.goto(f"/studies/tcx/interviews/{cast.therapist_interview.pk}/")
    page.get_by_label("Audio recording").set_input_files(str(wav))
    page.get_by_role("button", name="Attach a recording").click()
    expect(page.locator("audio.interview-audio")).to_have_count(1)
    page.get_by_role("button", name="Play from 01:02").click()

    page.wait_for_function("document.querySelector('audio.interview-audio').currentTime >= 62")
    expect(page.locator(".turn").nth(2)).to_have_class(re.compile(r"\bturn-playing\b"))
