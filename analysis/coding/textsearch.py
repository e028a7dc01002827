"""Finding and highlighting a search's words in a transcript's text.

Pure functions, no Django: the database decides which transcripts match
(PostgreSQL full-text search, or a plain substring test on SQLite); these
functions find where, cut passages around the matches inside their speaker
turn, and mark the matched words. Offsets are code points, like Python's.
"""

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

WORD = re.compile(r'-?"[^"]+"|-?[^\s"]+')


@dataclass(frozen=True)
class SearchTerms:
    """The words and phrases a query looks for, and those it excludes (`-word`)."""

    include: tuple[str, ...]
    exclude: tuple[str, ...]


def query_terms(query: str) -> SearchTerms:
    """Split a web-search-style query: words, "quoted phrases", -excluded, OR between."""
    include, exclude = [], []
    for token in WORD.findall(query):
        negated = token.startswith("-") and len(token) > 1
        term = token[1:] if negated else token
        term = term.strip('"').strip()
        if not term or term.casefold() == "or":
            continue
        (exclude if negated else include).append(term)
    return SearchTerms(tuple(include), tuple(exclude))


def term_pattern(terms: Sequence[str]) -> re.Pattern | None:
    """A case-insensitive pattern for whole words or phrases (longest first)."""
    if not terms:
        return None
    alternatives = "|".join(
        r"\s+".join(re.escape(word) for word in term.split())
        for term in sorted(set(terms), key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Turn:
    start: int
    end: int
    speaker: str = ""
    index: int = 0


@dataclass(frozen=True)
class Passage:
    """Part of a turn around one or more matches; `marks` are offsets into `text`."""

    start: int
    end: int
    text: str
    marks: tuple[tuple[int, int], ...]
    speaker: str
    turn_index: int
    opens_turn: bool = False
    ends_turn: bool = False

    @property
    def fragments(self) -> list[tuple[str, bool]]:
        """The text in pieces, each marked True where it matched: for templates."""
        pieces, at = [], 0
        for start, end in self.marks:
            pieces += [(self.text[at:start], False), (self.text[start:end], True)]
            at = end
        pieces.append((self.text[at:], False))
        return [piece for piece in pieces if piece[0]]


def _turn_at(turns: Sequence[Turn], starts: list[int], offset: int, length: int) -> Turn:
    """The turn that holds `offset` (turns sorted by start), or the whole text."""
    index = bisect_right(starts, offset) - 1
    if index >= 0 and offset < turns[index].end:
        return turns[index]
    return Turn(0, length)


def find_passages(
    text: str,
    pattern: re.Pattern,
    turns: Sequence[Turn],
    *,
    context: int = 120,
    limit: int = 5,
) -> tuple[list[Passage], int]:
    """The first `limit` passages with matches, and how many matches there are in all.

    A passage reaches `context` code points either side of its matches, never
    past its speaker turn; matches close together share a passage.
    """
    starts = [turn.start for turn in turns]
    windows: list[list] = []
    matches = 0
    for match in pattern.finditer(text):
        matches += 1
        start, end = match.span()
        last = windows[-1] if windows else None
        if last and start < last[1]:  # close enough to share the last passage
            last[1] = max(last[1], min(last[2].end, end + context))
            last[3].append((start, end))
        elif len(windows) < limit:
            turn = _turn_at(turns, starts, start, len(text))
            low, high = max(turn.start, start - context), min(turn.end, end + context)
            windows.append([low, high, turn, [(start, end)]])
    passages = [
        Passage(
            start=low,
            end=high,
            text=text[low:high],
            marks=tuple((s - low, min(e, high) - low) for s, e in spans),
            speaker=turn.speaker,
            turn_index=turn.index,
            opens_turn=low == turn.start,
            ends_turn=high == turn.end,
        )
        for low, high, turn, spans in windows
    ]
    return passages, matches
