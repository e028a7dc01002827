"""Codebooks travel as REFI-QDA .qdc both ways, and come in from CSV and XLSX
spreadsheets; codes the study has already stay as they are."""

import io

import openpyxl
import pytest
from lxml import etree

from analysis.coding.models import Code
from analysis.deliberation.models import Decision
from analysis.exchange.codebook_io import (
    parse_codebook_csv,
    parse_codebook_xlsx,
    parse_qdc,
    write_qdc,
)
from analysis.exchange.refi import CODEBOOK_NS, RefiError, schema_errors
from analysis.exchange.services.transfers import codebook_import
from dyads.exceptions import Forbidden
from dyads.services import study_create
from tests.analysis.refi_files import code_snapshot, coded_study

TAGUETTE = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" '
    b'origin="Taguette 1.5.2"><Codes><Code guid="5A4C8B52-3E0B-5E44-9E22-0F4B1C5D7A11" '
    b'name="interesting" isCodable="true"/><Code guid="9B1D2C6E-4F3A-5B77-8C66-1A2B3C4D5E6F" '
    b'name="people.rich" isCodable="true"/></Codes><Sets/></CodeBook>'
)


def qdc_of(study) -> bytes:
    out = io.BytesIO()
    write_qdc(study=study, out=out)
    return out.getvalue()


def test_the_qdc_validates_against_the_codebook_schema(cast):
    coded_study(cast)

    document = etree.ElementTree(etree.fromstring(qdc_of(cast.study)))

    assert schema_errors(document, CODEBOOK_NS, "codebook.qdc") == []


def test_a_qdc_round_trip_keeps_hierarchy_colours_definitions_and_guids(cast):
    coded_study(cast)
    copy = study_create(actor=cast.owner, title="Copy", slug="copy")
    data = qdc_of(cast.study)

    codebook_import(actor=cast.owner, study=copy, project=parse_qdc(data, "book.qdc"))

    assert code_snapshot(copy) == code_snapshot(cast.study)


def test_importing_a_codebook_twice_adds_its_codes_once(cast):
    coded_study(cast)
    data = qdc_of(cast.study)

    result = codebook_import(
        actor=cast.owner, study=cast.study, project=parse_qdc(data, "book.qdc")
    )

    assert result.codes == 0


def test_each_imported_code_has_a_decision_citing_the_file(cast):
    codebook_import(actor=cast.analyst, study=cast.study, project=parse_qdc(TAGUETTE, "tags.qdc"))

    decisions = Decision.objects.filter(study=cast.study, kind="code_create")
    assert decisions.count() == 2
    assert {decision.rationale for decision in decisions} == {"Imported from tags.qdc"}


def test_taguettes_invalid_empty_sets_are_read_with_a_warning(cast):
    parsed = parse_qdc(TAGUETTE, "tags.qdc")

    assert [code.name for code in parsed.codes] == ["interesting", "people.rich"]
    assert any("Not valid by the REFI-QDA schema" in warning for warning in parsed.warnings)


def test_auditors_may_not_import_codebooks(cast):
    with pytest.raises(Forbidden):
        codebook_import(actor=cast.auditor, study=cast.study, project=parse_qdc(TAGUETTE, "t.qdc"))


CSV = (
    "Path;Definition;Include when;Colour\n"
    "Alliance;The bond.;;#123456\n"
    "Alliance / Rupture;A break;Tension;\n"
    "Alliance / Repair;Mending;;#abc\n"
)


def test_a_csv_codebook_builds_the_tree_from_its_paths(cast):
    parsed = parse_codebook_csv(CSV.encode("utf-8-sig"), "book.csv")

    codebook_import(actor=cast.owner, study=cast.study, project=parsed)

    alliance = Code.objects.get(study=cast.study, name="Alliance")
    assert alliance.colour == "#123456"
    assert sorted(alliance.children.values_list("name", flat=True)) == ["Repair", "Rupture"]
    rupture = alliance.children.get(name="Rupture")
    assert (rupture.definition, rupture.inclusion_criteria) == ("A break", "Tension")
    assert alliance.children.get(name="Repair").colour == "#aabbcc"


def test_an_xlsx_codebook_builds_the_tree_from_a_parent_column(cast):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Code", "Parent", "Description"])
    sheet.append(["Safety", None, "Feeling safe."])
    sheet.append(["Calm", "Safety", "Being calm."])
    data = io.BytesIO()
    workbook.save(data)

    codebook_import(
        actor=cast.owner, study=cast.study, project=parse_codebook_xlsx(data.getvalue(), "b.xlsx")
    )

    assert Code.objects.get(study=cast.study, name="Calm").parent.name == "Safety"


@pytest.mark.parametrize(
    "csv_text, message",
    [
        ("Definition\nx\n", r"book\.csv line 1: no 'name' or 'path' column"),
        ("Name;Colour\nA;blue\n", r"book\.csv line 2, column colour: 'blue' is not a colour"),
        ("Name;Parent\nA;Nowhere\n", r"book\.csv line 2, column parent: 'Nowhere' is not a code"),
        ("Path\nA / B\n", r"book\.csv line 2, column path: its parent 'A'"),
        ("Name\nA\nA\n", r"book\.csv line 3: 'A' is already on an earlier line"),
    ],
)
def test_a_bad_spreadsheet_names_the_line_and_column_and_writes_nothing(cast, csv_text, message):
    before = Code.objects.count()

    with pytest.raises(RefiError, match=message):
        parse_codebook_csv(csv_text.encode(), "book.csv")

    assert Code.objects.count() == before


def test_a_file_that_is_no_workbook_is_refused():
    with pytest.raises(RefiError, match=r"b\.xlsx: not an \.xlsx workbook"):
        parse_codebook_xlsx(b"hello", "b.xlsx")
