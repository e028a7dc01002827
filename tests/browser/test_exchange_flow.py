"""An owner exports from the Exchange page in a real browser: the page follows the job
through the one job poller (static/js/jobs.js) to its download, or to its error."""

import pytest
from playwright.sync_api import expect

from analysis.exchange.models import ExchangeJob
from analysis.exchange.services.runner import exchange_job_fail, run_job

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in(page, sign_in, cast):
    sign_in(page, cast.owner)
    return page


@pytest.fixture
def held_jobs(monkeypatch):
    """Queued jobs wait until the test runs them, as they would for a busy worker."""
    monkeypatch.setattr("analysis.exchange.services.transfers._enqueue", lambda job: None)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def export_codebook(page):
    page.goto("/studies/tcx/exchange/")
    form = page.locator('form.exchange-export[data-format="qdc"]')
    form.get_by_role("button").click()
    status = form.locator(".exchange-status")
    expect(status).to_have_text("Waiting to start…")
    return status


def test_an_export_is_followed_to_its_download(held_jobs, signed_in):
    status = export_codebook(signed_in)

    run_job(ExchangeJob.objects.get().pk)

    expect(status).to_have_text("Ready: Download")
    expect(status.get_by_role("link", name="Download")).to_have_attribute(
        "href", f"/api/v1/exchange-jobs/{ExchangeJob.objects.get().pk}/download/"
    )


def test_a_job_that_failed_shows_its_error(held_jobs, signed_in):
    status = export_codebook(signed_in)

    exchange_job_fail(
        job_id=ExchangeJob.objects.get().pk,
        error="The database could not be reached; start the job again later.",
    )

    expect(status).to_have_text("The database could not be reached; start the job again later.")
    expect(status).to_have_class("exchange-status error")
