"""Before export every chosen quote is checked against the study's replacement list and its
sensitive terms; a warning names any quote that could re-identify a participant."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from analysis.themes.models import StudyReportSettings
from analysis.themes.report.reidentification import quote_warnings
from analysis.themes.report.results_report import results_report
from analysis.themes.services.themes import theme_quote_add
from interviews.models import PseudonymReplacement
from interviews.pseudonymise import Pseudonymiser, Replacement
from tests import factories
from tests.analysis.theme_setup import theme_study

ORIGINALS = Pseudonymiser([Replacement("Magnus", "C3"), Replacement("Bodø", "[town]")])


def found(text: str, sensitive=()) -> list[tuple[str, str]]:
    warnings = quote_warnings([("The quote", text)], originals=ORIGINALS, sensitive_terms=sensitive)
    return [(w.term, w.reason.split(";")[0]) for w in warnings]


def test_a_real_name_left_in_a_quote_is_flagged_with_its_replacement():
    assert found("Then MAGNUS said he would come back to Bodø.") == [
        ("MAGNUS", "the study's replacement list replaces it with “C3”"),
        ("Bodø", "the study's replacement list replaces it with “[town]”"),
    ]


def test_only_whole_words_are_flagged():
    assert found("Magnusson went to Bodøya.") == []


def test_a_sensitive_term_is_flagged_in_any_letter_case():
    warnings = quote_warnings(
        [("The client quote of “Safety” (C3, interview 2)", "I was the only Electrician there.")],
        originals=ORIGINALS,
        sensitive_terms=["electrician"],
    )

    assert [w.message for w in warnings] == [
        "The client quote of “Safety” (C3, interview 2) contains “Electrician”: "
        "it is on the study's list of sensitive terms."
    ]


def test_a_clean_quote_gives_no_warning():
    assert found("She did not let me escape.", sensitive=["electrician"]) == []


@pytest.fixture
def quoted(cast):
    """A client quote of Safety whose words (the cast's sample text) name 'dark room'."""
    setup = theme_study(cast)
    coding = factories.CodingFactory(
        revision=cast.revision, code=setup.codes["A"], coder=cast.analyst, start=68, end=100
    )
    theme_quote_add(actor=cast.analyst, theme=setup.safety, coding=coding, rationale="Vivid.")
    PseudonymReplacement.objects.create(
        study=cast.study, original="Walking", replacement="[activity]", created_by=cast.owner
    )
    StudyReportSettings.objects.create(study=cast.study, sensitive_terms=["dark room"])
    return cast


def test_the_report_warns_of_the_studys_risky_quotes(quoted):
    cast = quoted

    report = results_report(study=cast.study)

    assert [w.term for w in report.warnings] == ["walking", "dark room"]
    assert all("client quote of “Safety”" in w.quote for w in report.warnings)


def test_the_report_page_names_the_risky_quote_before_export(quoted, client):
    cast = quoted
    client.force_login(cast.analyst)

    html = client.get(reverse("report", args=["tcx"])).content.decode()

    assert "2 warnings" in html
    assert "contains “dark room”" in html


def test_the_command_names_the_risky_quotes_and_strict_writes_nothing(quoted, tmp_path):
    out, err = StringIO(), StringIO()
    call_command(
        "export_report", "--study", "tcx", str(tmp_path / "a.docx"), stdout=out, stderr=err
    )
    assert "contains “dark room”" in err.getvalue()
    assert (tmp_path / "a.docx").exists()

    with pytest.raises(CommandError, match="2 quote warning"):
        call_command(
            "export_report", "--study", "tcx", "--strict", str(tmp_path / "b.docx"), stderr=err
        )
    assert not (tmp_path / "b.docx").exists()


def test_on_the_demo_study_no_chosen_quote_is_flagged(demo_study):
    report = results_report(study=demo_study)

    assert len(report.quotes) == 6
    assert report.settings.sensitive_terms
    assert report.warnings == []
