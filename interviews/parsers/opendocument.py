"""Stage two for .odt (odfpy): body paragraphs, headings, lists and table rows, in order.

Headers and footers live in the page styles, not in the body, so they are left out.
"""

import io

from odf import teletype
from odf.namespaces import TABLENS, TEXTNS
from odf.opendocument import load

from .base import Block, ParsedDocument, Source
from .tables import row_text

PARAGRAPHS = {(TEXTNS, "p"), (TEXTNS, "h")}
CONTAINERS = {
    (TEXTNS, "list"),
    (TEXTNS, "list-item"),
    (TEXTNS, "list-header"),
    (TEXTNS, "section"),
}
TABLE = (TABLENS, "table")
ROW_GROUPS = {(TABLENS, "table-header-rows"), (TABLENS, "table-rows"), (TABLENS, "table-row-group")}


def parse_odt(source: Source) -> ParsedDocument:
    document = load(io.BytesIO(source.content))
    return ParsedDocument(format="odt", blocks=list(_blocks(document.text)))


def _blocks(element):
    for child in element.childNodes:
        name = getattr(child, "qname", None)
        if name in PARAGRAPHS:
            yield Block(teletype.extractText(child))
        elif name in CONTAINERS:
            yield from _blocks(child)
        elif name == TABLE:
            yield from (Block(row_text(cells)) for cells in _rows(child))


def _rows(element):
    for child in element.childNodes:
        name = getattr(child, "qname", None)
        if name == (TABLENS, "table-row"):
            yield [
                "\n".join(teletype.extractText(part) for part in cell.childNodes)
                for cell in child.childNodes
                if getattr(cell, "qname", None) == (TABLENS, "table-cell")
            ]
        elif name in ROW_GROUPS:
            yield from _rows(child)
