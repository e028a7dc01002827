"""Stage two for .rtf (striprtf): the document's text in its declared code page.

striprtf skips headers and footers and ends each paragraph with a line
break; it ends each table cell with "|", so a row comes back as "cell|cell|"
and is turned into a transcript line.
"""

import re

from striprtf.striprtf import rtf_to_text

from .base import Block, ParsedDocument, Source
from .tables import row_text

CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")


def parse_rtf(source: Source) -> ParsedDocument:
    match = CODE_PAGE.search(source.content[:4096])
    encoding = f"cp{int(match.group(1))}" if match else "cp1252"
    try:
        text = rtf_to_text(source.content.decode("latin-1"), encoding=encoding, errors="replace")
    except LookupError as error:
        raise source.refuse(f"uses an unknown code page ({encoding}).") from error
    # Each paragraph (\par) is a line of its own: a block, like a .docx paragraph.
    return ParsedDocument(
        format="rtf",
        blocks=[
            Block(row_text(line.split("|")[:-1]) if line.endswith("|") else line)
            for line in text.split("\n")
        ],
    )
