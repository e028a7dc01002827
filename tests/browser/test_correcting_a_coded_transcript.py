"""An owner imports a corrected transcript over a coded one in a real browser: the preview
warns what will happen to the codings and waits for a confirmation; after the import the
codings are highlighted on the new revision and the changed ones wait in the review queue,
where one is accepted and one adjusted by selecting its new words with the mouse."""

import pytest
from playwright.sync_api import expect

from analysis.coding.models import Coding, ReviewOutcome, SessionState
from interviews.models import ImportJob
from interviews.services.imports import import_job_run, transcript_import
from tests import factories
from tests.browser.test_coding_page import select_with_mouse

pytestmark = pytest.mark.browser

ORIGINAL = (
    "I: What brought you to therapy?\n\n"
    "C: My hands were shaking all the time. I could not sleep at night.\n\n"
    "I: And now?\n\n"
    "C: Now 🙂 I sleep most nights, and the shaking has stopped."
)
CORRECTED = (
    "I: What brought you to therapy?\n\n"
    "C: My hands were trembling all the time.\n\n"
    "I: And now?\n\n"
    "C: Now 🙂 I sleep most nights, and the trembling has stopped."
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def held_jobs(monkeypatch):
    """Queued jobs wait until the test runs them, as they would for a busy worker."""
    monkeypatch.setattr("interviews.services.imports.job_send", lambda task, job: None)


@pytest.fixture
def coded(cast, held_jobs):
    """The client's interview imported and coded by two coders, one coding in a closed round."""
    interview = factories.InterviewFactory(
        participant=cast.dyad.client, dyad=cast.dyad, sequence_number=2
    )
    job = transcript_import(
        actor=cast.owner,
        interview=interview,
        file_name="interview.txt",
        content=ORIGINAL.encode(),
        enqueue=False,
    )
    import_job_run(job_id=job.pk)
    revision = interview.transcript.current_revision
    closed = factories.CodingSessionFactory(study=cast.study, state=SessionState.CLOSED)
    codes = {
        name: factories.CodeFactory(study=cast.study, name=name)
        for name in ("Reason for coming", "Bodily distress", "Sleep", "Change")
    }
    spans = [
        ("Reason for coming", "What brought you to therapy", cast.analyst, closed),
        ("Bodily distress", "My hands were shaking all the time", cast.analyst, None),
        ("Sleep", "I could not sleep at night", cast.owner, None),
        ("Change", "the shaking has stopped", cast.owner, None),
    ]
    for name, words, coder, session in spans:
        start = revision.text.index(words)
        factories.CodingFactory(
            revision=revision,
            code=codes[name],
            coder=coder,
            session=session,
            start=start,
            end=start + len(words),
        )
    return interview


def test_a_corrected_transcript_is_imported_over_codings_and_the_changes_reviewed(
    cast, coded, page, sign_in, tmp_path, screenshot
):
    corrected = tmp_path / "interview-corrected.txt"
    corrected.write_text(CORRECTED, encoding="utf-8")
    sign_in(page, cast.owner)

    page.goto(f"/studies/tcx/interviews/{coded.pk}/")
    page.get_by_role("link", name="Import a new revision").click()
    page.get_by_label("Transcript file").set_input_files(str(corrected))
    page.get_by_role("button", name="Upload and preview").click()

    warning = page.locator(".impact")
    expect(warning).to_have_text(
        "This transcript has 4 codings by 2 coders: 1 will carry over unchanged, 3 will need "
        "review (2 changed, 1 whose text is gone), and 1 sits in a closed session."
    )
    screenshot("import-correction-warning")
    confirmation = page.get_by_label("Store the new revision and carry the codings over")
    page.get_by_role("button", name="Import").click()
    assert confirmation.evaluate("box => box.validity.valueMissing")  # the form waits for it
    assert ImportJob.objects.filter(interview=coded).count() == 1  # only the first import

    confirmation.check()
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".job-state")).to_have_text("Queued, 0%")
    import_job_run(job_id=ImportJob.objects.filter(interview=coded).latest("pk").pk)
    expect(page.locator(".job-state")).to_have_text("Succeeded")

    page.goto(f"/studies/tcx/interviews/{coded.pk}/coding/")
    expect(page.locator(".coding-workspace.is-ready")).to_be_visible()
    expect(page.locator(".hl")).to_have_count(3)
    expect(page.locator(".hl").first).to_contain_text("What brought you to therapy")
    expect(page.locator(".hl", has_text="trembling has stopped")).to_have_count(1)

    page.goto(f"/studies/tcx/interviews/{coded.pk}/review/")
    expect(page.get_by_role("heading", name="3 codings to review")).to_be_visible()
    distress = page.locator(".review-item", has_text="Bodily distress")
    expect(distress.locator(".review-old")).to_have_text("My hands were shaking all the time")
    expect(distress.locator("mark")).to_have_text("My hands were trembling all the time")
    change = page.locator(".review-item", has_text="Change")
    expect(change.locator("mark")).to_have_text("the trembling has stopped")
    screenshot("coding-review-queue")

    distress.get_by_role("button", name="Accept").click()
    expect(page.locator(".message-success")).to_contain_text("was accepted")
    change = page.locator(".review-item", has_text="Change")
    # In mid-screen: a drag near the window's edge scrolls the page under the mouse.
    change.locator(".review-context").evaluate(
        "context => context.scrollIntoView({block: 'center'})"
    )
    select_with_mouse(page, "trembling has stopped", within=".review-context")
    expect(change.locator(".review-selected")).to_contain_text("“trembling has stopped”")
    change.get_by_role("button", name="Adjust").click()
    expect(page.locator(".message-success")).to_contain_text("was adjusted")
    expect(page.get_by_role("heading", name="1 coding to review")).to_be_visible()

    adjusted = Coding.objects.get(code__name="Change")
    coded.transcript.refresh_from_db()
    current = coded.transcript.current_revision
    assert current.number == 2
    assert adjusted.revision_id == current.pk
    assert current.text[adjusted.start : adjusted.end] == "trembling has stopped"
    assert adjusted.reviews.get().outcome == ReviewOutcome.ADJUSTED
    assert Coding.objects.get(code__name="Bodily distress").reviews.get().outcome == "accepted"
