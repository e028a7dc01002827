"""Transcript import in three stages: reader → parser → builder.

- `reader.read_source(name, content)` checks the uploaded bytes and refuses a
  bad file (naming it and the reason) before anything is stored;
- a parser per format turns the source into blocks (paragraphs, table rows, cues);
- `builder.build(document)` makes one normalised text with its speaker turns.

`draft(source)` runs the last two. Every refusal is an `UnreadableFile`
(a DomainError), whatever the format library raised.
"""

import logging
from collections.abc import Callable

from .base import Block, ParsedDocument, Source, UnreadableFile
from .builder import Draft, build, normalise
from .opendocument import parse_odt
from .pdf import parse_pdf
from .plaintext import parse_text
from .reader import FORMATS, read_source
from .richtext import parse_rtf
from .subtitles import parse_srt, parse_vtt
from .word import parse_docx

logger = logging.getLogger(__name__)

PARSERS: dict[str, Callable[[Source], ParsedDocument]] = {
    "txt": parse_text,
    "docx": parse_docx,
    "odt": parse_odt,
    "rtf": parse_rtf,
    "pdf": parse_pdf,
    "vtt": parse_vtt,
    "srt": parse_srt,
}


def parse(source: Source) -> ParsedDocument:
    """The source's blocks. A format library's own error becomes an UnreadableFile."""
    try:
        return PARSERS[source.format](source)
    except UnreadableFile:
        raise
    except Exception as error:
        # The file is untrusted input: whatever its parser raises means it cannot be read.
        logger.warning("Cannot parse %s as %s", source.name, source.format, exc_info=True)
        raise source.refuse(
            f"is damaged: it cannot be read as a .{source.format} file ({type(error).__name__})."
        ) from error


def draft(source: Source) -> Draft:
    built = build(parse(source))
    if not built.text.strip():
        raise source.refuse("is empty (it has no text).")
    return built


__all__ = [
    "FORMATS",
    "Block",
    "Draft",
    "ParsedDocument",
    "Source",
    "UnreadableFile",
    "build",
    "draft",
    "normalise",
    "parse",
    "read_source",
]
