"""The agreement tables as CSV and XLSX, from the API's representation of a report.

The page's download and the API (``?format=csv`` / ``?format=xlsx``) write the
same files from the same data. Undefined figures are empty cells; the XLSX is
written by Duet's one XLSX writer (dyads.xlsx), its cells strings or numbers,
never formulas.
"""

import io

from dyads.csvfile import csv_text
from dyads.exceptions import DomainError
from dyads.xlsx import xlsx_writing

FIGURES = [
    ("percent_agreement", "Percent agreement"),
    ("cohen_kappa", "Cohen's kappa"),
    ("fleiss_kappa", "Fleiss' kappa"),
    ("krippendorff_alpha", "Krippendorff's alpha"),
    ("units", "Units"),
]
TABLES = {"codes": "Codes", "pairs": "Coder pairs", "transcripts": "Transcripts"}


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
    return csv_text(header, rows)


def agreement_xlsx(data: dict) -> bytes:
    """A workbook with the scope and each table on a sheet of its own."""
    out = io.BytesIO()
    with xlsx_writing(out) as workbook:
        workbook.sheet("Scope").extend(
            [
                ("Study", data["study"]),
                ("Session", data["session"] or "—"),
                ("Unit", data["unit"]),
                ("Coders", ", ".join(data["coders"])),
                (
                    "Interviewer turns included",
                    "yes" if data["include_interviewer_turns"] else "no",
                ),
            ]
        )
        for table, title in TABLES.items():
            header, rows = agreement_table(data, table)
            workbook.sheet(title, header).extend(rows)
    return out.getvalue()
