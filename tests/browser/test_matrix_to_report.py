"""An analyst goes from the dyad matrix to the results report: opens a cell, reads the
dyad's two perspectives side by side, chooses an exemplary quote and exports the report;
and downloads a chart as SVG and PNG."""

from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from analysis.themes.models import ExemplaryQuote
from tests.analysis.theme_setup import theme_study

pytestmark = pytest.mark.browser


def test_from_the_matrix_to_a_quote_in_the_exported_report(cast, page, sign_in):
    setup = theme_study(cast)
    sign_in(page, cast.analyst)
    client = cast.dyad.client.pseudonym

    page.goto("/studies/tcx/matrix/?source=all")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dyad × constituent matrix")
    page.get_by_role("link", name="Dyad 1, Safety: client 1, therapist 2").click()

    panel = page.locator("#matrix-panel")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", name="Dyad 1 × Safety")).to_be_visible()
    expect(panel.locator(".perspective-client .excerpt")).to_have_count(1)
    expect(panel.locator(".perspective-therapist .excerpt")).to_have_count(2)
    panel.get_by_role("link", name="Open the dual-perspective view").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dyad 1: Safety")
    client_side = page.locator(".dual .perspective-client")
    expect(client_side).to_contain_text(client)
    expect(page.locator(".dual .perspective-therapist .excerpt")).to_have_count(2)
    excerpt = client_side.locator(".excerpt").first
    words = excerpt.locator(".excerpt-text").inner_text()
    excerpt.get_by_text("Choose as exemplary quote").click()
    excerpt.get_by_label("Why").fill("Says in her own words what safety was.")
    excerpt.get_by_role("button", name="Choose this quote").click()

    expect(page.locator(".message-success")).to_contain_text("now an exemplary quote of “Safety”")
    expect(page.locator(".dual .perspective-client .excerpt-quoted")).to_have_count(1)
    quote = ExemplaryQuote.objects.get(theme=setup.safety)
    assert quote.perspective == "client"

    page.get_by_role("navigation", name="Themes and results").get_by_role(
        "link", name="Results report"
    ).click()
    expect(page.locator(".report-preview")).to_contain_text(words)
    # Two dyads: every demographic cell counts fewer than three people.
    expect(page.locator(".report-checks")).to_contain_text("could re-identify a participant")
    page.get_by_label("I have read the").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download DOCX").click()

    assert download.value.suggested_filename == "tcx-results.docx"
    document = Document(str(download.value.path()))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Safety" in text
    assert text.startswith("Results: ")
    assert "NOT CLEARED FOR PUBLICATION" in text
    assert f"“{' '.join(words.split())}” ({client}, interview 1)" in text


def test_a_chart_downloads_as_svg_and_as_png(cast, page, sign_in):
    theme_study(cast)
    sign_in(page, cast.analyst)

    page.goto("/studies/tcx/charts/?source=all")
    figure = page.locator("figure[data-chart]").first
    with page.expect_download() as svg:
        figure.get_by_role("button", name="Download SVG").click()
    with page.expect_download() as png:
        figure.get_by_role("button", name="Download PNG").click()

    assert svg.value.suggested_filename == "tcx-code-frequency.svg"
    assert Path(svg.value.path()).read_text(encoding="utf-8").startswith("<svg")
    assert png.value.suggested_filename == "tcx-code-frequency.png"
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
