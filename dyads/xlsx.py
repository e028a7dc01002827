"""Writing XLSX workbooks: the one writer every download uses (xlsxwriter).

Cells hold numbers or plain strings, never a formula: text that looks like one
(``=SUM(A1:A3)``), a URL or a number stays text. None and empty text leave the
cell empty; text is cut at Excel's limit. A sheet may start with a bold header row, frozen
so it stays in view. Rows are written in order in constant-memory mode, so a
workbook of a million rows takes little memory. (Spreadsheets are *read* with
openpyxl, where a codebook is imported.)
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

XLSX_CELL_LIMIT = 32767
OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


class XlsxSheet:
    """One worksheet, written a row at a time from the top."""

    def __init__(self, worksheet, *, header_format, header: Sequence[str] | None) -> None:
        self._worksheet = worksheet
        self._next_row = self._first_row = 0
        # Typed writes skip xlsxwriter's guessing; it escapes control characters itself.
        self._string = worksheet.write_string
        self._number = worksheet.write_number
        if header is not None:
            worksheet.write_row(0, 0, header, header_format)
            worksheet.freeze_panes(1, 0)
            self._next_row = self._first_row = 1

    @property
    def rows(self) -> int:
        """How many rows were appended (the header not counted)."""
        return self._next_row - self._first_row

    def widths(self, widths: dict[int, float]) -> None:
        """Set the width (in characters) of the columns numbered from 0."""
        for column, width in widths.items():
            self._worksheet.set_column(column, column, width)

    def append(self, values: Iterable[Any]) -> None:
        """Write the next row: text as text, int and float as numbers; None and "" leave
        the cell empty."""
        row, self._next_row = self._next_row, self._next_row + 1
        for column, value in enumerate(values):
            if isinstance(value, str):
                if value:
                    self._string(row, column, value[:XLSX_CELL_LIMIT])
            elif value is None:
                continue
            elif isinstance(value, bool):
                self._worksheet.write_boolean(row, column, value)
            elif isinstance(value, int | float):
                self._number(row, column, value)
            else:
                self._string(row, column, str(value)[:XLSX_CELL_LIMIT])

    def extend(self, rows: Iterable[Iterable[Any]]) -> None:
        for values in rows:
            self.append(values)


class XlsxWorkbook:
    """A workbook being written to `out`: add sheets with `sheet`, in their order."""

    def __init__(self, out: IO[bytes]) -> None:
        import xlsxwriter  # loaded when a workbook is written, not at start-up

        self._workbook = xlsxwriter.Workbook(out, OPTIONS)
        self._bold = self._workbook.add_format({"bold": True})

    def sheet(self, title: str, header: Sequence[str] | None = None) -> XlsxSheet:
        """A new sheet; with a `header`, its first row is that header, bold and frozen."""
        return XlsxSheet(
            self._workbook.add_worksheet(title), header_format=self._bold, header=header
        )

    def close(self) -> None:
        self._workbook.close()


@contextmanager
def xlsx_writing(out: IO[bytes]) -> Iterator[XlsxWorkbook]:
    """A workbook written to `out` (a file or io.BytesIO), finished when the block ends."""
    workbook = XlsxWorkbook(out)
    yield workbook
    workbook.close()
