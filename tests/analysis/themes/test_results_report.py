"""The results report: methods tables, the theme hierarchy, both perspectives of each
constituent with their exemplary quotes, and the codebook, as DOCX, Markdown and HTML."""

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document

from analysis.coding.models import Code
from analysis.themes.models import ExemplaryQuote, StudyReportSettings, Theme, ThemeLevel
from analysis.themes.report.results_report import (
    results_docx,
    results_html,
    results_markdown,
    results_report,
)
from analysis.themes.services.themes import theme_quote_add
from dyads.models import AccessEvent
from tests import factories
from tests.analysis.theme_setup import side_state_study, theme_study


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def quoted_words(study) -> list[str]:
    return [
        " ".join(quote.coding.revision.text[quote.coding.start : quote.coding.end].split())
        for quote in ExemplaryQuote.objects.filter(study=study, removed_at__isnull=True)
    ]


def test_on_the_demo_study_the_docx_opens_and_holds_every_constituent_and_quote(
    demo_study, tmp_path
):
    call_command("export_report", "--study", "demo", str(tmp_path / "demo.docx"), stdout=StringIO())

    text = docx_text((tmp_path / "demo.docx").read_bytes())
    for theme in Theme.objects.filter(study=demo_study, retired_at__isnull=True):
        assert theme.name in text
        if theme.level == ThemeLevel.CONSTITUENT:
            assert theme.client_description in text
            assert theme.therapist_description in text
    words = quoted_words(demo_study)
    assert len(words) == 6
    for quote in words:
        assert quote in text
    assert "(C3, interview 2)" in text and "(T3, interview 3)" in text


def test_on_the_demo_study_the_docx_has_the_methods_tables_and_the_codebook(demo_study):
    document = Document(io.BytesIO(results_docx(results_report(study=demo_study))))

    participants = document.tables[0]
    rows = {row.cells[0].text: [cell.text for cell in row.cells[1:]] for row in participants.rows}
    assert rows["Number"] == ["6", "6"]
    assert rows["Age, range"] == ["36–58", "26–48"]
    assert rows["Age, median"] == ["46", "33.5"]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:5] == ["Method", "Participants", "Recruitment", "Procedure", "Results"]
    assert "Appendix: Codebook" in headings
    text = docx_text(results_docx(results_report(study=demo_study)))
    for code in Code.objects.filter(study=demo_study, retired_at__isnull=True):
        assert code.name in text
        assert code.definition in text


def test_on_the_demo_study_markdown_and_html_hold_every_constituent_and_quote(demo_study):
    report = results_report(study=demo_study)
    markdown, html = results_markdown(report), results_html(report)

    for theme in Theme.objects.filter(study=demo_study, level=ThemeLevel.CONSTITUENT):
        assert f"#### {theme.name}" in markdown
        assert theme.name in html
    for quote in quoted_words(demo_study):
        assert f"> “{quote}”" in markdown
        assert quote.replace("'", "&#x27;") in html
    assert html.startswith("<!doctype html>")
    assert "| Age, median | 46 | 33.5 |" in markdown


@pytest.fixture
def described(cast):
    """A constituent whose descriptions speak of "she" and "he", and a quote that does too."""
    setup = theme_study(cast)
    Theme.objects.filter(pk=setup.safety.pk).update(
        client_description="She felt that her therapist saw her.",
        therapist_description="He chose to show his feelings to himself and to her.",
    )
    coding = factories.CodingFactory(
        revision=cast.revision, code=setup.codes["A"], coder=cast.analyst, start=153, end=184
    )  # the sample text's last words
    theme_quote_add(actor=cast.analyst, theme=setup.safety, coding=coding, rationale="Vivid.")
    StudyReportSettings.objects.create(
        study=cast.study, client_pronoun="he", therapist_pronoun="she"
    )
    return cast


def test_the_pronoun_convention_rewrites_the_descriptions_but_never_the_quotes(described):
    report = results_report(study=described.study)

    safety = next(theme for theme in report.constituents if theme.name == "Safety")
    assert safety.client_description == "He felt that his therapist saw him."
    assert safety.therapist_description == "She chose to show her feelings to herself and to her."
    assert safety.client_quotes[0].text == "That she did not let me escape."
    assert "every client as “he” and every therapist as “she”" in report.participants_text


def test_the_quote_keeps_the_speakers_words(described):
    report = results_report(study=described.study)
    quote = report.quotes[0]

    assert quote.text == described.revision.text[153:184]
    assert quote.citation == f"{described.dyad.client.pseudonym}, interview 1"


@pytest.mark.parametrize("fmt", ["docx", "md", "html"])
def test_a_download_of_the_report_is_logged_as_an_export(described, client, fmt):
    client.force_login(described.analyst)

    warnings = len(results_report(study=described.study).warnings)

    response = client.get(reverse("report-download", args=["tcx", fmt]), {"acknowledge": "yes"})

    assert response.status_code == 200
    assert f'filename="tcx-results.{fmt}"' in response["Content-Disposition"]
    event = AccessEvent.objects.get(study=described.study)
    assert (event.user, event.action, event.detail) == (
        described.analyst,
        "export",
        f"results report ({fmt}, not cleared, {warnings} warning(s) acknowledged)",
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--study", "nope", "out.docx"], "No study with the slug 'nope'"),
        (["--study", "tcx", "out.pdf"], "write a .docx, .md or .html file"),
        (["--study", "tcx", "/no/such/folder/out.docx"], "No such file or directory"),
    ],
)
def test_the_command_refuses_a_bad_study_or_file_saying_which(cast, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_report", *arguments, stdout=StringIO())


def test_each_perspective_says_where_it_is_present_absent_not_coded_or_not_interviewed(cast):
    side_state_study(cast)

    report = results_report(study=cast.study)

    hope = next(theme for theme in report.constituents if theme.name == "Hope")
    safety = next(theme for theme in report.constituents if theme.name == "Safety")
    assert hope.client_support == (
        "The clients' accounts, in the consensus layer: present in none of 3 dyads; "
        "absent in 1 (Dyad 1); not coded in 1 (Dyad 2); not interviewed in 1 (Dyad 3)."
    )
    assert safety.therapist_support == (
        "The therapists' accounts, in the consensus layer: present in 2 of 3 dyads "
        "(Dyad 1, Dyad 2); not interviewed in 1 (Dyad 3)."
    )
    for rendered in (
        results_markdown(report),
        results_html(report),
        docx_text(results_docx(report)),
    ):
        assert "not coded in 1 (Dyad 2)" in rendered
    overarching = next(theme for theme in report.all_themes if theme.name == "Relationship")
    assert overarching.client_support == ""
