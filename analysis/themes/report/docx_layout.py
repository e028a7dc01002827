"""Word layout that keeps the report's tables whole: a table's caption stays with the
table, its header row repeats on each page, no row breaks across pages, and every row
is kept with the next so that a short table moves to the next page in one piece."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # python-docx is loaded when a report is written
    from docx.table import Table
    from docx.text.paragraph import Paragraph


def _row_property(row, name: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement(name)
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def keep_table_whole(caption: Paragraph, table: Table) -> None:
    caption.paragraph_format.keep_with_next = True
    _row_property(table.rows[0], "w:tblHeader")
    last = len(table.rows) - 1
    for index, row in enumerate(table.rows):
        _row_property(row, "w:cantSplit")
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = index < last
