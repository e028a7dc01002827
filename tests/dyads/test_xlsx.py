"""Duet's one XLSX writer: typed cells, never a formula, a bold frozen header."""

import io

import openpyxl

from dyads.xlsx import XLSX_CELL_LIMIT, xlsx_writing


def written(rows, header=None) -> openpyxl.Workbook:
    out = io.BytesIO()
    with xlsx_writing(out) as workbook:
        sheet = workbook.sheet("Rows", header)
        sheet.extend(rows)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue()))


def test_text_stays_text_numbers_stay_numbers_and_nothing_is_empty():
    sheet = written([["=SUM(A1:A3)", "007", "https://example.org", 7, 2.5, None, "", "end"]])[
        "Rows"
    ]

    cells = [(cell.value, cell.data_type) for cell in sheet[1]]

    assert cells[:5] == [
        ("=SUM(A1:A3)", "s"),
        ("007", "s"),
        ("https://example.org", "s"),
        (7, "n"),
        (2.5, "n"),
    ]
    assert [cell.value for cell in sheet[1][5:]] == [None, None, "end"]


def test_a_header_row_is_bold_and_frozen_and_not_counted():
    out = io.BytesIO()
    with xlsx_writing(out) as workbook:
        sheet = workbook.sheet("Rows", ["Code", "Units"])
        sheet.extend([["a", 1], ["b", 2]])
    rows = sheet.rows

    read = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["Rows"]
    assert rows == 2
    assert [cell.value for cell in read[1]] == ["Code", "Units"]
    assert all(cell.font.b for cell in read[1]) and read.freeze_panes == "A2"


def test_text_longer_than_a_cell_holds_is_cut_at_the_limit():
    sheet = written([["x" * (XLSX_CELL_LIMIT + 10)]])["Rows"]

    assert len(sheet["A1"].value) == XLSX_CELL_LIMIT


def test_sheets_come_in_the_order_they_were_added():
    out = io.BytesIO()
    with xlsx_writing(out) as workbook:
        for title in ("Scope", "Codes", "Coder pairs"):
            workbook.sheet(title)

    assert openpyxl.load_workbook(io.BytesIO(out.getvalue())).sheetnames == [
        "Scope",
        "Codes",
        "Coder pairs",
    ]
