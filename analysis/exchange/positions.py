"""Selection positions in other tools' REFI-QDA files, and how to read them.

Duet's offsets are code points of LF-only text, end exclusive. Vendors differ
(see shared/refi-qda/NOTES.md §5.3): NVivo counts UTF-16 code units over the
file's text with CRLF kept; ATLAS.ti, MAXQDA and qc count code points with a
line break as one character; the standard says code points of the file.

Each convention is one function that maps a vendor's positions to code-point
offsets of the *normalised* text (BOM stripped, CRLF and lone CR made LF),
which is the text Duet stores. `choose_convention` picks the convention for
a file: the producer's known habit, unless the text itself (the quoted text
some vendors put in a selection's name, and word boundaries) says otherwise.
"""

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

BOM = "\ufeff"


def strip_bom(text: str) -> str:
    return text[1:] if text.startswith(BOM) else text


def normalise_newlines(text: str) -> str:
    """The text Duet stores: no BOM, every line end a single LF."""
    return strip_bom(text).replace("\r\n", "\n").replace("\r", "\n")


ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class _LineEnds:
    """Maps offsets of a raw text (CRLF kept) to offsets of its normalised form."""

    def __init__(self, raw: str):
        # The CR of each CRLF is dropped; a lone CR becomes LF, one for one.
        self.dropped = [match.start() for match in re.finditer("\r\n", raw)]
        self.length = len(raw)

    def normalised(self, offset: int) -> int:
        return offset - bisect_left(self.dropped, offset)


class _Utf16:
    """Maps UTF-16 offsets of a text to code-point offsets; astral characters count two."""

    def __init__(self, text: str):
        astral = [match.start() for match in ASTRAL.finditer(text)]
        self.pairs = [index + count for count, index in enumerate(astral)]
        self.length = len(text) + len(astral)

    def code_point(self, unit: int) -> int:
        """The code point at a UTF-16 offset; one inside a surrogate pair rounds down."""
        before = bisect_left(self.pairs, unit - 1)
        inside = before < len(self.pairs) and self.pairs[before] == unit - 1
        return unit - before - 1 if inside else unit - before


def _within(length: int, positions: Sequence[int], convert: Callable[[int], int]) -> list[int]:
    """Convert each position; -1 for one outside 0..length."""
    return [convert(p) if 0 <= p <= length else -1 for p in positions]


def from_code_points_of_file(raw: str, positions: Sequence[int]) -> list[int]:
    """The standard read literally: code points of the file's text, CRLF counted as two."""
    raw = strip_bom(raw)
    line_ends = _LineEnds(raw)
    return _within(len(raw), positions, line_ends.normalised)


def from_code_points_one_per_line_end(raw: str, positions: Sequence[int]) -> list[int]:
    """ATLAS.ti, MAXQDA, qc, Duet: code points with every line end one character."""
    return _within(len(normalise_newlines(raw)), positions, int)


def from_utf16_of_file(raw: str, positions: Sequence[int]) -> list[int]:
    """NVivo (.NET strings): UTF-16 code units of the file's text, CRLF counted as two."""
    raw = strip_bom(raw)
    units, line_ends = _Utf16(raw), _LineEnds(raw)
    return _within(units.length, positions, lambda p: line_ends.normalised(units.code_point(p)))


def from_utf16_one_per_line_end(raw: str, positions: Sequence[int]) -> list[int]:
    """UTF-16 code units with every line end one character (browser-based tools)."""
    units = _Utf16(normalise_newlines(raw))
    return _within(units.length, positions, units.code_point)


def to_utf16(text: str, offsets: Iterable[int]) -> list[int]:
    """Code-point offsets of `text` as UTF-16 code units (for writing NVivo-style files)."""
    astral = [match.start() for match in ASTRAL.finditer(text)]
    return [offset + bisect_left(astral, offset) for offset in offsets]


def conventions_differ(raw: str) -> bool:
    """Whether the conventions can disagree on this text at all."""
    return "\r" in raw or ASTRAL.search(raw) is not None


class Convention(StrEnum):
    CODE_POINTS_FILE = "code points, line end as in the file"
    CODE_POINTS_ONE = "code points, line end counted once"
    UTF16_FILE = "UTF-16 code units, line end as in the file"
    UTF16_ONE = "UTF-16 code units, line end counted once"


CONVERTERS: dict[Convention, Callable[[str, Sequence[int]], list[int]]] = {
    Convention.CODE_POINTS_FILE: from_code_points_of_file,
    Convention.CODE_POINTS_ONE: from_code_points_one_per_line_end,
    Convention.UTF16_FILE: from_utf16_of_file,
    Convention.UTF16_ONE: from_utf16_one_per_line_end,
}

# The producer's habit, matched against Project@origin (lower case, first match wins).
VENDOR_HABITS: list[tuple[str, Convention]] = [
    ("nvivo", Convention.UTF16_FILE),
    ("atlas", Convention.CODE_POINTS_ONE),
    ("maxqda", Convention.CODE_POINTS_ONE),
    ("qualcoder", Convention.CODE_POINTS_ONE),
    ("qc ", Convention.CODE_POINTS_ONE),
    ("duet", Convention.CODE_POINTS_ONE),
]


def vendor_convention(origin: str) -> Convention:
    """The convention the producing software is known to use; the standard's otherwise."""
    origin = f"{origin.lower()} "
    for marker, convention in VENDOR_HABITS:
        if marker in origin:
            return convention
    return Convention.CODE_POINTS_FILE


@dataclass(frozen=True)
class VendorSelection:
    """A selection as a vendor wrote it, with the quoted text some vendors add."""

    start: int
    end: int
    quote: str = ""


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _on_boundary(text: str, offset: int) -> bool:
    if offset <= 0 or offset >= len(text):
        return True
    return not (_is_word_char(text[offset - 1]) and _is_word_char(text[offset]))


def _squash(text: str) -> str:
    return " ".join(text.split())


SAMPLE_SOURCES = 20
SAMPLE_SPANS = 100


def score(
    convention: Convention, sources: Sequence[tuple[str, Sequence[VendorSelection]]]
) -> float:
    """How well a convention fits: quotes that match count most, word boundaries next.

    `sources` are (raw file text, spans) pairs. A span that falls outside the
    text counts heavily against the convention.
    """
    points = 0.0
    for raw, spans in sources:
        text = normalise_newlines(raw)
        flat = [p for span in spans for p in (span.start, span.end)]
        mapped = CONVERTERS[convention](raw, flat)
        for index, span in enumerate(spans):
            start, end = mapped[2 * index], mapped[2 * index + 1]
            if start < 0 or end < start:
                points -= 10
                continue
            quote = _squash(span.quote)
            if len(quote) >= 3 and not quote.startswith("line:"):
                excerpt = _squash(text[start:end])
                if excerpt and (excerpt.startswith(quote) or quote.startswith(excerpt)):
                    points += 4
            points += _on_boundary(text, start) + _on_boundary(text, end)
    return points


def choose_convention(
    origin: str, sources: Sequence[tuple[str, Sequence[VendorSelection]]]
) -> Convention:
    """The vendor's habit, unless another convention fits the text clearly better.

    Only texts on which the conventions can disagree (line ends with CR,
    characters outside the Basic Multilingual Plane) are looked at, a sample of
    them, so that a large project is judged quickly.
    """
    habit = vendor_convention(origin)
    telling = [(raw, spans[:SAMPLE_SPANS]) for raw, spans in sources if conventions_differ(raw)]
    telling = [(raw, spans) for raw, spans in telling if spans][:SAMPLE_SOURCES]
    if not telling:
        return habit
    scores = {convention: score(convention, telling) for convention in Convention}
    best = max(scores, key=lambda convention: (scores[convention], convention == habit))
    return best if scores[best] > scores[habit] + max(2.0, abs(scores[habit]) * 0.05) else habit
