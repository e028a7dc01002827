"""Stage two for .docx (python-docx): body paragraphs and table rows, in document order.

Headers, footers, footnotes and comments are left out by choice: they carry
page furniture, not what was said.
"""

import io

import docx
from docx.table import Table

from .base import Block, ParsedDocument, Source
from .tables import row_text


def parse_docx(source: Source) -> ParsedDocument:
    document = docx.Document(io.BytesIO(source.content))
    blocks = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(Block(row_text(cells)) for cells in _rows(item))
        else:
            blocks.append(Block(item.text))
    return ParsedDocument(format="docx", blocks=blocks)


def _rows(table: Table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans.
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell.text)
        rows.append(cells)
    return rows
