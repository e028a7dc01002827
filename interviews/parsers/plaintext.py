"""Stage two for .txt: the decoded text is one block; the builder finds its turns."""

from .base import Block, ParsedDocument, Source
from .reader import decode_text


def parse_text(source: Source) -> ParsedDocument:
    return ParsedDocument(format="txt", blocks=[Block(decode_text(source))])
