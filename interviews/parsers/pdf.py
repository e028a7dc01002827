"""Stage two for .pdf (pypdf): the text layer, page by page.

A PDF keeps lines, not paragraphs: lines are joined into paragraphs, and a
new paragraph starts at a speaker label. A line that holds only a page
number is page furniture and is dropped. A PDF without a text layer (a scan)
is refused: Duet does not do OCR.
"""

import io
import re

from pypdf import PdfReader

from ..turns import LABEL_LINE
from .base import Block, ParsedDocument, Source

PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?\s*$", re.IGNORECASE)


def parse_pdf(source: Source) -> ParsedDocument:
    reader = PdfReader(io.BytesIO(source.content))
    if reader.is_encrypted:
        reader.decrypt("")
    lines = []
    for page in reader.pages:
        lines.extend(
            line for line in (page.extract_text() or "").splitlines() if not PAGE_NUMBER.match(line)
        )
    paragraphs = _paragraphs(lines)
    if not paragraphs:
        raise source.refuse("has no text layer (a scanned PDF?): Duet cannot read its text.")
    return ParsedDocument(format="pdf", blocks=[Block(text) for text in paragraphs])


def _paragraphs(lines: list[str]) -> list[str]:
    paragraphs: list[list[str]] = []
    for line in (line.strip() for line in lines):
        if not line:
            paragraphs.append([])
        elif not paragraphs or LABEL_LINE.match(line):
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return [" ".join(words) for words in paragraphs if words]
