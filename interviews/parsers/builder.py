"""Stage three of an import: blocks become one normalised text with speaker turns.

The text is NFC with LF line ends, no trailing spaces, no more than one blank
line in a row, and paragraphs separated by a blank line. Running text (txt,
docx, odt, rtf, pdf) gets its turns from `detect_turns`; subtitle cues become
turns themselves, keeping their times: consecutive cues of one speaker make
one turn, and an unlabelled cue continues the turn before it.
"""

import re
import unicodedata
from dataclasses import dataclass

from ..turns import LABEL_LINE, ParsedTurn, detect_turns
from .base import Block, ParsedDocument

LINE_BREAKS = re.compile(r"[\u2028\v\x85]")
PARAGRAPH_BREAKS = re.compile(r"[\u2029\f]")
INVISIBLE = re.compile(r"[\ufeff\u200b\x00-\x08\x0e-\x1f\x7f]")
TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
BLANK_LINES = re.compile(r"\n{3,}")
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Draft:
    """The transcript as built from the file, before pseudonymisation."""

    format: str
    text: str
    turns: list[ParsedTurn]


def normalise(text: str) -> str:
    # Each rewrite runs only if its characters occur: `in` is far cheaper than a regex pass.
    text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(mark in text for mark in "\u2028\v\x85"):
        text = LINE_BREAKS.sub("\n", text)
    if "\u2029" in text or "\f" in text:
        text = PARAGRAPH_BREAKS.sub("\n\n", text)
    text = INVISIBLE.sub("", text)
    if any(f"{space}\n" in text for space in " \t\u00a0"):
        text = TRAILING_SPACE.sub("", text)
    if "\n\n\n" in text:
        text = BLANK_LINES.sub("\n\n", text)
    return text.strip("\n").rstrip()


def build(document: ParsedDocument) -> Draft:
    if document.timed:
        text, turns = _from_cues(document.blocks)
    else:
        text = normalise("\n\n".join(block.text for block in document.blocks if block.text.strip()))
        turns = detect_turns(text)
    return Draft(format=document.format, text=text, turns=turns)


def clock(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


@dataclass
class _Paragraph:
    speaker: str
    words: list[str]
    t_start: int | None
    t_end: int | None


def _later(first: int | None, second: int | None) -> int | None:
    """The later of two times, so that a turn never ends before it starts."""
    return max(first, second) if first is not None and second is not None else second


def _from_cues(blocks: list[Block]) -> tuple[str, list[ParsedTurn]]:
    """Paragraphs "[hh:mm:ss] Speaker: words", one per turn, with the cues' times."""
    paragraphs: list[_Paragraph] = []
    for block in blocks:
        words = SPACES.sub(" ", normalise(block.text)).strip()
        speaker = block.speaker
        if speaker is None:
            label = LABEL_LINE.match(words)
            if label:
                speaker = label.group("label").strip()
                words = words[label.end() :].strip()
        speaker = SPACES.sub(" ", normalise(speaker or "")).strip()
        current = paragraphs[-1] if paragraphs else None
        if current and (speaker == current.speaker or (not speaker and current.speaker)):
            current.words.append(words)
            current.t_end = _later(current.t_end, block.t_end)
        else:
            paragraphs.append(
                _Paragraph(speaker, [words], block.t_start, _later(block.t_start, block.t_end))
            )
    pieces, turns, offset = [], [], 0
    for paragraph in paragraphs:
        stamp = f"[{clock(paragraph.t_start)}] " if paragraph.t_start is not None else ""
        label = f"{paragraph.speaker}: " if paragraph.speaker else ""
        piece = f"{stamp}{label}{' '.join(paragraph.words)}"
        turns.append(
            ParsedTurn(
                speaker=paragraph.speaker,
                start=offset,
                end=offset + len(piece),
                t_start=paragraph.t_start,
                t_end=paragraph.t_end,
            )
        )
        pieces.append(piece)
        offset += len(piece) + 2
    return "\n\n".join(pieces), turns
