"""Writing CSV files: the one CSV writer every download uses.

Researchers open Duet's CSV files in Excel or LibreOffice, which read a cell
that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula ("CSV injection"): a quoted passage ``=HYPERLINK(...)`` would become a
live link. OWASP's rule is applied to every text cell: such a cell gets a
single quote in front, so the spreadsheet shows it as text. Numbers are
written as they are (a kappa of -0.25 is a number, not a formula); ``None``
is an empty cell. (The XLSX writer, dyads.xlsx, writes every text as text.)
"""

import csv
import io
from collections.abc import Iterable
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value` as a spreadsheet may show it: text that a spreadsheet would read as a
    formula gets a leading single quote; numbers and other values stay."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


class SafeCsvWriter:
    """`csv.writer` whose every cell passes through `safe_cell`."""

    def __init__(self, out: IO[str]) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: IO[str]) -> SafeCsvWriter:
    return SafeCsvWriter(out)


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """A whole CSV file as text: the header row, then the rows."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
