"""The agreement tables as CSV and XLSX, from the API's representation of a report.

The page's download and the API (``?format=csv`` / ``?format=xlsx``) write the
same files from the same data. Undefined figures are empty cells; XLSX cells
are strings or numbers, never formulas.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dyads.exceptions import DomainError

FIGURES = [
    ("percent_agreement", "Percent agreement"),
    ("cohen_kappa", "Cohen's kappa"),
    ("fleiss_kappa", "Fleiss' kappa"),
    ("krippendorff_alpha", "Krippendorff's alpha"),
    ("units", "Units"),
]
TABLES = {"codes": "Codes", "pairs": "Coder pairs", "transcripts": "Transcripts"}
BOLD = Font(bold=True)


def check_table(table: str | None) -> str:
    """The table a request names (codes by default), or a DomainError naming `table`."""
    table = table or "codes"
    if table not in TABLES:
        raise DomainError({"table": f"Unknown table '{table}': use {', '.join(TABLES)}."})
    return table


def agreement_table(data: dict, table: str) -> tuple[list[str], list[list]]:
    """(header, rows) of one of the report's tables: codes, pairs or transcripts."""
    figures = [key for key, _ in FIGURES]
    labels = [label for _, label in FIGURES]
    if check_table(table) == "codes":
        rows = [
            [row["code"], row["name"], *(row[key] for key in figures), row["passages"], row["note"]]
            for row in data["codes"]
        ]
        rows.append(["", "All codes", *(data["overall"][key] for key in figures), "", ""])
        return ["Code ID", "Code", *labels, "Passages", "Note"], rows
    if table == "pairs":
        rows = [[*row["coders"], *(row[key] for key in figures)] for row in data["pairs"]]
        return ["Coder", "Coder", *labels], rows
    names = [row["name"] for row in data["codes"]]
    rows = [
        [
            row["transcript"],
            row["label"],
            *(row[key] for key in figures),
            *(cell["krippendorff_alpha"] for cell in row["codes"]),
        ]
        for row in data["transcripts"]
    ]
    return ["Transcript ID", "Transcript", *labels, *(f"α {name}" for name in names)], rows


def agreement_csv(data: dict, table: str = "codes") -> str:
    header, rows = agreement_table(data, table)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([["" if value is None else value for value in row] for row in rows])
    return out.getvalue()


def agreement_xlsx(data: dict) -> bytes:
    """A workbook with the scope and each table on a sheet of its own."""
    workbook = Workbook(write_only=True)
    scope = workbook.create_sheet("Scope")
    for name, value in [
        ("Study", data["study"]),
        ("Session", data["session"] or "—"),
        ("Unit", data["unit"]),
        ("Coders", ", ".join(data["coders"])),
        ("Interviewer turns included", "yes" if data["include_interviewer_turns"] else "no"),
    ]:
        scope.append(_cells(scope, [name, value]))
    for table, title in TABLES.items():
        header, rows = agreement_table(data, table)
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        sheet.append(_cells(sheet, header, bold=True))
        for row in rows:
            sheet.append(_cells(sheet, row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cells(sheet, values: list, *, bold: bool = False) -> list[WriteOnlyCell]:
    """Cells holding numbers or plain strings (never a formula); None stays empty."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        if bold:
            cell.font = BOLD
        cells.append(cell)
    return cells
