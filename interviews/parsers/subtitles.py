"""Stage two for subtitles: each WebVTT or SubRip cue is a block with its times.

A WebVTT voice tag (`<v Kari>`) names the cue's speaker; a cue whose text opens
with a speaker label ("Kari: ...") is left for the builder to read. Cue lines
are subtitle line wrapping, so they are joined with spaces.
"""

import io
import re

import srt
import webvtt
from webvtt.errors import MalformedFileError

from .base import Block, ParsedDocument, Source
from .reader import decode_text

VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
TAG = re.compile(r"</?[^>]+>")


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def parse_vtt(source: Source) -> ParsedDocument:
    try:
        captions = webvtt.from_buffer(io.StringIO(decode_text(source))).captions
    except MalformedFileError as error:
        raise source.refuse("is not a valid WebVTT file (a cue cannot be read).") from error
    blocks = []
    for caption in captions:
        t_start = _ms(_seconds(caption.start))
        t_end = _ms(_seconds(caption.end))
        blocks.extend(
            Block(text=text, speaker=speaker, t_start=t_start, t_end=t_end)
            for speaker, text in _voices(caption.lines)
        )
    return _cues(source, "vtt", blocks)


def _seconds(stamp: str) -> float:
    parts = [float(part) for part in stamp.split(":")]
    total = 0.0
    for part in parts:
        total = total * 60 + part
    return total


def _voices(lines: list[str]) -> list[tuple[str | None, str]]:
    """The cue's lines grouped by voice: [(speaker or None, text)]."""
    groups: list[tuple[str | None, list[str]]] = []
    for line in lines:
        voice = VOICE.search(line)
        text = TAG.sub("", line).strip()
        if voice or not groups:
            groups.append((voice.group(1).strip() if voice else None, []))
        if text:
            groups[-1][1].append(text)
    return [(speaker, " ".join(words)) for speaker, words in groups if words]


def parse_srt(source: Source) -> ParsedDocument:
    try:
        subtitles = list(srt.parse(decode_text(source)))
    except srt.SRTParseError as error:
        # The library's message quotes the file's text, which may hold real names.
        raise source.refuse("is not a valid SubRip file (a cue cannot be read).") from error
    blocks = [
        Block(
            text=" ".join(TAG.sub("", line).strip() for line in subtitle.content.splitlines()),
            t_start=_ms(subtitle.start.total_seconds()),
            t_end=_ms(subtitle.end.total_seconds()),
        )
        for subtitle in subtitles
    ]
    return _cues(source, "srt", blocks)


def _cues(source: Source, fmt: str, blocks: list[Block]) -> ParsedDocument:
    blocks = [block for block in blocks if block.text.strip()]
    if not blocks:
        raise source.refuse("has no cues with text.")
    return ParsedDocument(format=fmt, blocks=blocks)
