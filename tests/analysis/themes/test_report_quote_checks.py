"""Warnings on the chosen quotes: a perspective quoted from one participant only, quotes
resting on unresolved disagreements; shown on the report page and by export_report."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from analysis.coding.models import Coding
from analysis.themes.report.quote_checks import spread_checks
from analysis.themes.report.results_report import results_report
from analysis.themes.selectors.detail import QuoteView
from analysis.themes.services.themes import theme_quote_add
from tests import factories
from tests.analysis.agreement_setup import double_coded, settle_every_disagreement


def quote(pseudonym: str, role: str = "therapist", theme: str = "Safety") -> QuoteView:
    return QuoteView(1, theme, role, "words", pseudonym, 1)


def test_three_therapist_quotes_from_one_therapist_are_flagged_once_for_the_report():
    checks = spread_checks(
        [
            ("Safety", "therapist", [quote("T3")]),
            ("Persistence", "therapist", [quote("T3"), quote("T3")]),
            ("Safety", "client", [quote("C1", "client"), quote("C3", "client")]),
        ]
    )

    assert [check.message for check in checks] == [
        "All three therapist quotes of the report come from T3: "
        "the perspective rests on one participant."
    ]


def test_a_constituent_side_quoted_from_one_participant_is_flagged_by_name():
    checks = spread_checks(
        [
            ("Safety", "client", [quote("C1", "client"), quote("C1", "client")]),
            ("Hope", "client", [quote("C2", "client")]),
        ]
    )

    assert [check.message for check in checks] == [
        "Both client quotes of “Safety” come from C1: the perspective rests on one participant."
    ]


def test_quotes_from_different_participants_or_a_single_quote_raise_nothing():
    assert spread_checks([("Safety", "client", [quote("C1", "client")])]) == []
    assert spread_checks([("Safety", "client", [quote("C1"), quote("C2")])]) == []


@pytest.fixture
def quoted(cast):
    """Two client quotes of the double-coded session: one on code A's unresolved
    disagreement (68-100), one on code B's agreed passage (153-180)."""
    setup = double_coded(cast)
    parent = factories.ThemeFactory(study=cast.study, name="Relationship")
    theme = factories.ThemeFactory(
        study=cast.study, name="Safety", parent=parent, codes=[setup.a, setup.b]
    )
    for code, start in ((setup.a, 68), (setup.b, 153)):
        coding = Coding.objects.get(
            session=setup.session, coder=cast.analyst, code=code, start=start
        )
        theme_quote_add(actor=cast.analyst, theme=theme, coding=coding, rationale="Vivid.")
    return setup


def test_a_quote_on_an_unresolved_disagreement_is_counted_against_all_quotes(cast, quoted):
    checks = results_report(study=cast.study).quote_checks

    unresolved = [check.message for check in checks if check.kind == "unresolved"]
    assert len(unresolved) == 1
    assert unresolved[0].startswith("1 of 2 quotes rest on unresolved disagreements: ")
    assert unresolved[0].count("The client quote of “Safety”") == 1


def test_once_the_disagreements_are_resolved_the_warning_goes(cast, quoted):
    settle_every_disagreement(quoted, cast.owner)

    checks = results_report(study=cast.study).quote_checks

    assert [check for check in checks if check.kind == "unresolved"] == []


def test_the_report_page_lists_the_warnings(cast, quoted, client):
    client.force_login(cast.analyst)

    page = client.get(reverse("report", args=[cast.study.slug])).content.decode()

    assert "warnings on the chosen quotes" in page
    assert "Both client quotes of the report come from" in page
    assert "1 of 2 quotes rest on unresolved disagreements" in page


def test_strict_export_lists_every_warning_and_writes_nothing(cast, quoted, tmp_path):
    out, err = tmp_path / "report.docx", StringIO()

    with pytest.raises(CommandError, match="2 quote warning"):
        call_command("export_report", "--study", cast.study.slug, "--strict", str(out), stderr=err)

    assert not out.exists()
    lines = err.getvalue().splitlines()
    assert any("come from" in line for line in lines)
    assert any("rest on unresolved disagreements" in line for line in lines)


def test_without_strict_the_report_is_written_and_the_warnings_listed(cast, quoted, tmp_path):
    out, err = tmp_path / "report.md", StringIO()

    call_command(
        "export_report", "--study", cast.study.slug, str(out), stderr=err, stdout=StringIO()
    )

    assert out.exists()
    assert "rest on unresolved disagreements" in err.getvalue()
