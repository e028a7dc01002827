"""The results report does not re-identify: small demographic categories fold into "Other";
the whole document (text, tables, captions, quotes, appendix) is checked for listed names,
their near misses, sensitive terms and small cells, and quotes with gendered pronouns are
flagged when the pronoun convention hides gender; a download with open warnings needs an
acknowledgement and says "not cleared for publication" until an owner clears the report."""

import io
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document

from analysis.coding.models import Code
from analysis.themes.models import ReportClearance, StudyReportSettings
from analysis.themes.report.disclosure import fold_counts, fold_rows
from analysis.themes.report.reidentification import pronoun_warnings, text_warnings
from analysis.themes.report.results_report import results_docx, results_report
from analysis.themes.services.report_clearance import report_clear
from analysis.themes.services.themes import theme_quote_add
from dyads.exceptions import Conflict, DomainError, Forbidden
from dyads.models import AccessEvent, AuditEvent, Participant, RecruitmentEvent
from interviews.models import PseudonymReplacement
from interviews.pseudonymise import Pseudonymiser, Replacement
from tests import factories
from tests.analysis.theme_setup import theme_study

ORIGINALS = Pseudonymiser([Replacement("Magnus", "C3"), Replacement("Bodø", "[town]")])


def terms(pieces, sensitive=()):
    warnings = text_warnings(pieces, originals=ORIGINALS, sensitive_terms=sensitive, language="en")
    return [(w.where, w.term) for w in warnings]


def test_listed_names_their_near_misses_and_sensitive_terms_are_flagged_as_whole_words():
    pieces = [
        ("Appendix, code “X”", "Then MAGNUS came back to Bodø, and Magnuss friend too."),
        ("Table 1", "Electrician (1)"),
        ("Theme “Y”", "Magnusson went to Bodøya."),
    ]

    assert terms(pieces, sensitive=["electrician"]) == [
        ("Appendix, code “X”", "MAGNUS"),
        ("Appendix, code “X”", "Bodø"),
        ("Appendix, code “X”", "Magnuss"),
        ("Table 1", "Electrician"),
        ("Theme “Y”", "Bodøya"),
        ("Theme “Y”", "Magnusson"),
    ]


def test_a_gendered_pronoun_in_a_quote_is_flagged_only_under_a_convention():
    quotes = [("The quote", "He read it, and then he cried."), ("Other", "They left.")]

    flagged = pronoun_warnings(quotes, convention="every client as “she”")

    assert [(w.where, w.term) for w in flagged] == [("The quote", "he")]
    assert pronoun_warnings(quotes, convention="") == []


def test_categories_smaller_than_the_smallest_group_fold_into_other():
    assert fold_counts([("Nurse", 3), ("Electrician", 1), ("Other", 1), ("Teacher", 1)], 3) == [
        ("Nurse", 3),
        ("Other", 3),
    ]
    assert fold_rows([("Female", [3, 4]), ("Male", [1, 0]), ("Non-binary", [0, 1])], 3) == [
        ("Female", [3, 4]),
        ("Other", [1, 1]),
    ]


@pytest.fixture
def risky(cast):
    """A study whose report names a client's rare profession, a sensitive problem, a listed
    name in a code definition, and a quote that says "she" under a convention."""
    setup = theme_study(cast)
    clients = Participant.objects.filter(study=cast.study, role="client")
    clients.filter(pk=cast.dyad.client.pk).update(
        profession="Electrician", presenting_problems="Childhood abuse"
    )
    clients.exclude(pk=cast.dyad.client.pk).update(profession="Kindergarten teacher")
    RecruitmentEvent.objects.create(
        study=cast.study, step="dropped_out", role="client", occurred_on="2026-01-05",
        reason="moved to Bodø",
    )  # fmt: skip
    Code.objects.filter(pk=setup.codes["B"].pk).update(definition="As Magnus put it.")
    coding = factories.CodingFactory(
        revision=cast.revision, code=setup.codes["A"], coder=cast.analyst, start=153, end=184
    )  # "That she did not let me escape."
    theme_quote_add(actor=cast.analyst, theme=setup.safety, coding=coding, rationale="Vivid.")
    for original in ("Magnus", "Bodø"):
        PseudonymReplacement.objects.create(
            study=cast.study, original=original, replacement="[x]", created_by=cast.owner
        )
    StudyReportSettings.objects.create(
        study=cast.study, client_pronoun="she", sensitive_terms=["childhood abuse"]
    )
    return cast


def test_the_tables_fold_the_single_professions_and_the_whole_document_is_checked(risky):
    report = results_report(study=risky.study)

    table = {row[0]: row[1:] for row in report.tables[0].rows}
    assert table["Profession"][1] == "Other (2)"
    assert table["Presenting problems"][1] == "Other (1)"
    found = {(w.where, w.term) for w in report.warnings}
    assert ("Table 1, Profession (clients)", "Other (2)") in found
    assert ("The recruitment description", "Bodø") in found
    assert ("Appendix, code “B”", "Magnus") in found
    assert any(term == "she" and "client quote" in where for where, term in found)
    assert not any("Electrician" in w.message for w in report.warnings)


def test_the_page_names_every_warning_and_never_says_nothing_found(risky, client):
    client.force_login(risky.analyst)

    html = client.get(reverse("report", args=["tcx"])).content.decode()

    assert "nothing found" not in html
    assert "contains “Magnus”" in html
    assert "Not cleared for publication" in html


def test_a_download_with_open_warnings_needs_an_acknowledgement(risky, client):
    client.force_login(risky.analyst)
    url = reverse("report-download", args=["tcx", "md"])

    refused = client.get(url, follow=True)
    downloaded = client.get(url, {"acknowledge": "yes"})

    assert "confirm that you have read them" in refused.content.decode()
    assert downloaded.status_code == 200
    assert downloaded.content.decode().splitlines()[2].startswith("**NOT CLEARED FOR PUBLICATION")
    assert AccessEvent.objects.filter(study=risky.study).count() == 1


def test_an_owner_clears_the_report_after_acknowledging_its_warnings(risky):
    report = results_report(study=risky.study)

    with pytest.raises(DomainError, match="confirm that you have read them"):
        report_clear(actor=risky.owner, study=risky.study, fingerprint=report.fingerprint)
    with pytest.raises(Forbidden):
        report_clear(
            actor=risky.analyst,
            study=risky.study,
            fingerprint=report.fingerprint,
            acknowledge_warnings=True,
        )
    assert not ReportClearance.objects.exists()
    report_clear(
        actor=risky.owner,
        study=risky.study,
        fingerprint=report.fingerprint,
        acknowledge_warnings=True,
    )

    cleared = results_report(study=risky.study)
    document = Document(io.BytesIO(results_docx(cleared)))
    assert cleared.cleared
    assert "NOT CLEARED" not in document.sections[0].header.paragraphs[0].text
    event = AuditEvent.objects.get(action="report.clear")
    assert event.new_value["open_warnings"] == len(report.warnings)


def test_a_report_that_changed_since_it_was_read_or_cleared_is_not_cleared(risky):
    read = results_report(study=risky.study)
    Code.objects.filter(study=risky.study, name="A").update(definition="Changed.")

    with pytest.raises(Conflict):
        report_clear(
            actor=risky.owner,
            study=risky.study,
            fingerprint=read.fingerprint,
            acknowledge_warnings=True,
        )
    changed = results_report(study=risky.study)
    report_clear(
        actor=risky.owner,
        study=risky.study,
        fingerprint=changed.fingerprint,
        acknowledge_warnings=True,
    )
    Code.objects.filter(study=risky.study, name="A").update(definition="Changed again.")

    assert not results_report(study=risky.study).cleared


def test_the_uncleared_docx_carries_the_header(risky):
    document = Document(io.BytesIO(results_docx(results_report(study=risky.study))))

    assert document.sections[0].header.paragraphs[0].text.startswith("NOT CLEARED FOR PUBLICATION")


def test_the_clear_page_refuses_a_missing_acknowledgement_with_a_message(risky, client):
    client.force_login(risky.owner)
    fingerprint = results_report(study=risky.study).fingerprint

    response = client.post(
        reverse("report-clear", args=["tcx"]), {"fingerprint": fingerprint}, follow=True
    )

    assert "confirm that you have read them" in response.content.decode()
    assert not ReportClearance.objects.exists()


def test_the_command_names_every_warning_and_strict_exits_1_writing_nothing(risky, tmp_path):
    messages = [w.message for w in results_report(study=risky.study).warnings]
    out, err = StringIO(), StringIO()
    call_command(
        "export_report", "--study", "tcx", str(tmp_path / "a.docx"), stdout=out, stderr=err
    )
    assert (tmp_path / "a.docx").exists()
    assert "not cleared for publication" in out.getvalue()

    strict_err = StringIO()
    with pytest.raises(CommandError, match=f"{len(messages)} re-identification warning"):
        call_command(
            "export_report", "--study", "tcx", "--strict", str(tmp_path / "b.docx"),
            stderr=strict_err,
        )  # fmt: skip
    assert not (tmp_path / "b.docx").exists()
    for message in messages:
        assert message in strict_err.getvalue()


def test_the_smallest_group_is_a_setting_refused_out_of_range(cast, client):
    client.force_login(cast.owner)
    url = reverse("report-settings", args=["tcx"])

    bad = client.post(url, {"min_cell_size": "0"})
    good = client.post(url, {"min_cell_size": "5"})

    assert bad.status_code == 400
    assert good.status_code == 302
    assert StudyReportSettings.objects.get(study=cast.study).min_cell_size == 5


def test_on_the_demo_study_no_table_category_counts_fewer_than_three(demo_study):
    report = results_report(study=demo_study)

    shown = [
        (cell, int(count))
        for row in report.tables[0].rows[1:]
        for cell in row[1:]
        for count in re.findall(r"\((\d+)\)", cell)
    ]
    small = {(w.where, w.term) for w in report.warnings}
    assert shown
    for cell, count in shown:
        assert count >= 3 or any(term in cell for _, term in small)
