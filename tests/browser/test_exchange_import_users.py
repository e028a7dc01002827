"""An owner imports a project of two coders from the Exchange page in a real browser:
the preview lists each user of the file with their codings and a choice of whose codings
they become; the import follows those choices."""

import pytest
from playwright.sync_api import expect

from analysis.coding.models import Coding
from analysis.exchange.models import ExchangeJob
from analysis.exchange.services.runner import run_job
from tests.analysis.refi_files import two_coder_qdpx

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def held_jobs(monkeypatch):
    """Queued jobs wait until the test runs them, as they would for a busy worker."""
    monkeypatch.setattr("analysis.exchange.services.transfers._enqueue", lambda job: None)


def run_when_queued(page, status_selector: str) -> None:
    expect(page.locator(status_selector)).to_have_text("Waiting to start…")
    run_job(ExchangeJob.objects.get().pk)


def test_each_user_of_the_file_is_given_to_a_member_or_a_new_imported_coder(
    page, sign_in, cast, tmp_path
):
    qdpx = tmp_path / "two.qdpx"
    qdpx.write_bytes(two_coder_qdpx())
    sign_in(page, cast.owner)
    page.goto("/studies/tcx/exchange/")
    page.get_by_label("Kind of file").select_option("qdpx")
    page.get_by_label("File", exact=True).set_input_files(qdpx)
    page.get_by_role("button", name="Preview the import").click()
    run_when_queued(page, ".exchange-import .exchange-status")

    users = page.get_by_role("region", name="Whose codings each user of the file makes")
    expect(users.get_by_role("row")).to_have_count(3)
    aksel = users.get_by_label("Whose codings 'Aksel Lund' makes")
    expect(aksel).to_have_value("new")
    aksel.select_option("analyst")
    page.get_by_role("button", name="Import", exact=True).click()
    run_when_queued(page, ".exchange-confirm-status")

    status = page.locator(".exchange-confirm-status")
    expect(status).to_contain_text("5 codings")
    expect(status).to_contain_text("1 coders")
    assert Coding.objects.filter(coder=cast.analyst).count() == 3
    assert Coding.objects.filter(coder__username="imported-bente-ruud").count() == 2
