"""Transcript import in three stages: reader → parser → builder.

- `reader.read_source(name, content)` checks the uploaded bytes and refuses a
  bad file (naming it and the reason) before anything is stored;
- a parser per format turns the source into blocks (paragraphs, table rows, cues);
- `builder.build(document)` makes one normalised text with its speaker turns.

`draft(source)` runs the last two. Every refusal is an `UnreadableFile`
(a DomainError), whatever the format library raised.
"""

import logging
from importlib import import_module

from .base import Block, ParsedDocument, Source, UnreadableFile
from .builder import Draft, build, normalise
from .reader import FORMATS, read_source

logger = logging.getLogger(__name__)

# Each format's parser as (module, function), imported when a file of that format comes:
# the format libraries (python-docx, odfpy, pypdf, …) stay out of processes that never
# parse one, such as the web workers.
PARSERS: dict[str, tuple[str, str]] = {
    "txt": ("plaintext", "parse_text"),
    "docx": ("word", "parse_docx"),
    "odt": ("opendocument", "parse_odt"),
    "rtf": ("richtext", "parse_rtf"),
    "pdf": ("pdf", "parse_pdf"),
    "vtt": ("subtitles", "parse_vtt"),
    "srt": ("subtitles", "parse_srt"),
}


def parser_for(format: str):
    module, function = PARSERS[format]
    return getattr(import_module(f"{__name__}.{module}"), function)


def parse(source: Source) -> ParsedDocument:
    """The source's blocks. A format library's own error becomes an UnreadableFile."""
    parser = parser_for(source.format)
    try:
        return parser(source)
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
