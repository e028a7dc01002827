"""Coded segments as CSV and XLSX, one row per coding with its context and people,
and per-code excerpt reports as DOCX."""

import csv
import io

import openpyxl
from docx import Document

from analysis.exchange.docx_excerpts import write_docx
from analysis.exchange.segments import HEADER, write_csv, write_xlsx
from tests import factories
from tests.analysis.refi_files import coded_study


def csv_rows(cast, actor=None) -> list[dict]:
    out = io.StringIO()
    write_csv(actor=actor or cast.owner, study=cast.study, out=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_each_coding_is_one_row_with_its_code_path_people_and_context(cast):
    coded_study(cast)

    rows = csv_rows(cast)

    assert [row["Excerpt"] for row in rows] == [
        "dark room 🌑",
        "somebody holds your hand",
        "escape",
    ]
    first = rows[0]
    assert first["Code"] == "Relationship / Holding hands"
    assert first["Context"].startswith("C: Like walking into a dark room")
    assert (first["Participant"], first["Role"], first["Dyad"], first["Interview"]) == (
        cast.dyad.client.pseudonym,
        "client",
        "Dyad 1",
        "1",
    )
    assert first["Coder"] == "analyst"


def test_the_export_reads_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    coded_study(cast)

    with django_assert_max_num_queries(8):
        csv_rows(cast)


def test_the_workbook_has_the_same_rows_and_no_formulas(cast):
    _, codings = coded_study(cast)
    text = cast.revision.text
    out = io.BytesIO()

    count = write_xlsx(actor=cast.owner, study=cast.study, out=out)

    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    values = list(sheet.iter_rows(values_only=True))
    assert count == 3 and list(values[0]) == HEADER
    assert values[1][1] == text[codings[0].start : codings[0].end]
    assert sheet.freeze_panes == "A2"
    assert {cell.data_type for row in sheet.iter_rows() for cell in row} <= {"s", "n"}


def test_formulas_and_control_characters_in_the_text_stay_plain_text_in_the_workbook(cast):
    text = "T: =SUM(A1:A3) was what she typed\x0bthen stopped."
    revision = factories.revision_for(cast.therapist_interview, text)
    code = factories.CodeFactory(study=cast.study, name="Numbers")
    factories.CodingFactory(
        revision=revision, code=code, coder=cast.analyst, start=3, end=len(text)
    )
    out = io.BytesIO()

    write_xlsx(actor=cast.owner, study=cast.study, out=out)

    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    excerpt = sheet.cell(row=2, column=2)
    assert excerpt.data_type == "s"
    assert excerpt.value.startswith("=SUM(A1:A3) was what she typed")
    assert excerpt.value.endswith("then stopped.")


def test_a_study_without_codings_gives_a_workbook_with_the_header_only(cast):
    out = io.BytesIO()

    count = write_xlsx(actor=cast.owner, study=cast.study, out=out)

    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert count == 0
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [HEADER]


def test_a_code_report_lists_its_own_and_its_sub_codes_excerpts(cast):
    (parent, _), _ = coded_study(cast)
    out = io.BytesIO()

    count = write_docx(actor=cast.owner, study=cast.study, out=out, code_id=parent.pk)

    paragraphs = [p.text for p in Document(io.BytesIO(out.getvalue())).paragraphs]
    assert count == 3
    assert paragraphs[0] == "Excerpts: Relationship"
    assert "Relationship / Holding hands" in paragraphs
    assert "somebody holds your hand" in paragraphs
