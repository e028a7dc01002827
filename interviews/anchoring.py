"""Where a span of one text lies in a corrected version of it (pure: no Django).

`text_map(old, new)` diffs the two texts character by character with Google's
diff-match-patch and answers, for any span of the old text, where it lies in the
new one: `unchanged` (the same text, at its mapped place), `changed` (words inside
it changed; the mapped range is given) or `vanished` (nothing of it is left; the
span's start and end are then the point of the new text where it was).

Offsets are Unicode code points, end exclusive (a Python `str` index, so an emoji
is one). Both texts are compared in one canonical form, NFD with line feeds, so a
change of line endings (CRLF to LF) or of Unicode normalisation (NFC and NFD)
alone changes no span; offsets are translated back to each text's own.

The diff is measured against `difflib` in docs/benchmarks.md (bench/bench_reanchor.py).
"""

import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from enum import StrEnum

# A diff that takes longer stops at a coarser, still correct, answer (more spans changed).
DIFF_TIMEOUT_SECONDS = 2.0


class SpanState(StrEnum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    VANISHED = "vanished"


@dataclass(frozen=True)
class MappedSpan:
    start: int
    end: int
    state: SpanState


class Canonical:
    """A text in canonical form (NFD, LF) and the way back to the text's own offsets.

    The text is cut into segments, each a starter with its combining marks or a line
    break (CRLF is one), and each segment is made canonical on its own; an offset
    inside a segment is rounded outward to the segment's ends. A text that is already
    canonical maps onto itself, without tables.
    """

    def __init__(self, text: str):
        self.text = text
        self._tables: tuple[list[int], list[int], list[int], list[int]] | None = None
        if "\r" in text or not unicodedata.is_normalized("NFD", text):
            self._make_canonical(text)

    def _make_canonical(self, own_text: str) -> None:
        pieces: list[str] = []
        # own offset -> canonical start / end of its segment, and back
        start_of: list[int] = []
        end_of: list[int] = []
        own_start_of: list[int] = []
        own_end_of: list[int] = []
        own = canonical = 0
        for segment in _segments(own_text):
            piece = "\n" if segment.startswith("\r") else unicodedata.normalize("NFD", segment)
            pieces.append(piece)
            start_of.extend([canonical] * len(segment))
            end_of.extend([canonical + len(piece)] * len(segment))
            own_start_of.extend([own] * len(piece))
            own_end_of.extend([own + len(segment)] * len(piece))
            own += len(segment)
            canonical += len(piece)
        self.text = "".join(pieces)
        self._tables = (start_of, end_of, own_start_of, own_end_of)

    def canonical_start(self, offset: int) -> int:
        if self._tables is None or offset == len(self._tables[0]):
            return offset if self._tables is None else len(self.text)
        return self._tables[0][offset]

    def canonical_end(self, offset: int) -> int:
        if self._tables is None or offset == 0:
            return offset
        return self._tables[1][offset - 1]

    def is_boundary(self, offset: int) -> bool:
        """Whether a segment starts (or the text ends) at canonical `offset`."""
        if self._tables is None or offset in (0, len(self.text)):
            return True
        own_start_of = self._tables[2]
        return own_start_of[offset] != own_start_of[offset - 1]

    def own_start(self, offset: int) -> int:
        if self._tables is None or offset == len(self.text):
            return offset if self._tables is None else len(self._tables[0])
        return self._tables[2][offset]

    def own_end(self, offset: int) -> int:
        if self._tables is None or offset == 0:
            return offset
        return self._tables[3][offset - 1]


def _segments(text: str) -> list[str]:
    """Each starter with the combining marks that follow it, and each line break."""
    segments: list[str] = []
    for character in text:
        if segments and unicodedata.combining(character) and segments[-1][-1] not in "\r\n":
            segments[-1] += character
        elif character == "\n" and segments and segments[-1] == "\r":
            segments[-1] = "\r\n"
        else:
            segments.append(character)
    return segments


class TextMap:
    """The path of a character diff from the old text to the new, as cumulative offsets."""

    def __init__(self, old: str, new: str):
        self._old = Canonical(old)
        self._new = Canonical(new)
        self.identical = old == new
        from diff_match_patch import diff_match_patch  # loaded when a text is corrected

        differ = diff_match_patch()
        differ.Diff_Timeout = DIFF_TIMEOUT_SECONDS
        operations = [(differ.DIFF_EQUAL, self._old.text)]
        if self._old.text != self._new.text:
            operations = differ.diff_main(self._old.text, self._new.text)
            # Whole words and passages replaced, not letters matched across them
            # ("hand. Then …" → "arm" keeping the "a").
            differ.diff_cleanupSemantic(operations)
        # Vertex k of the path: (old_at[k], new_at[k]); `equal[k]` says the step after it is
        # an unchanged stretch.
        self._old_at = [0]
        self._new_at = [0]
        self._equal: list[bool] = []
        for operation, piece in operations:
            self._equal.append(operation == differ.DIFF_EQUAL)
            grows_old = operation != differ.DIFF_INSERT
            grows_new = operation != differ.DIFF_DELETE
            self._old_at.append(self._old_at[-1] + (len(piece) if grows_old else 0))
            self._new_at.append(self._new_at[-1] + (len(piece) if grows_new else 0))
        self._equal.append(False)

    def span(self, start: int, end: int) -> MappedSpan:
        """Where the old text's [start, end) lies in the new text."""
        if self.identical:
            return MappedSpan(start, end, SpanState.UNCHANGED)
        old_start, old_end = self._old.canonical_start(start), self._old.canonical_end(end)
        found = self._unchanged_at(old_start, old_end)
        if found is not None:
            return self._own(found, found + old_end - old_start, SpanState.UNCHANGED)
        new_start = self._new_position(old_start, last=True)
        if not self._any_survives(old_start, old_end):
            return self._own(new_start, new_start, SpanState.VANISHED)
        return self._own(new_start, self._new_end(old_end), SpanState.CHANGED)

    def _unchanged_at(self, start: int, end: int) -> int | None:
        """The new offset of [start, end) if its text is there unchanged.

        Inside one unchanged stretch of the diff it is. An edit just before or after
        the span may have been placed inside it (inserting "ab" before "abc" reads
        as inserting it after "ab"), so the places the span's ends map to are tried.
        """
        length = end - start
        step = bisect_right(self._old_at, start) - 1
        if self._equal[step] and self._old_at[step + 1] >= end:
            found = self._new_at[step] + start - self._old_at[step]
            if self._whole_segments(found, found + length):
                return found
        text = self._old.text[start:end]
        candidates = {
            self._new_position(start, last=False),
            self._new_position(start, last=True),
            self._new_position(end, last=False) - length,
            self._new_position(end, last=True) - length,
        }
        for candidate in sorted(candidates):
            if (
                candidate >= 0
                and self._new.text.startswith(text, candidate)
                and self._whole_segments(candidate, candidate + length)
            ):
                return candidate
        return None

    def _whole_segments(self, start: int, end: int) -> bool:
        return self._new.is_boundary(start) and self._new.is_boundary(end)

    def _step_of(self, old: int) -> int:
        """The step of the path that holds the old text's character at `old`."""
        return bisect_right(self._old_at, old) - 1

    def _any_survives(self, start: int, end: int) -> bool:
        """Whether any character of the old text's [start, end) is in the new text."""
        return any(self._equal[self._step_of(start) : self._step_of(end - 1) + 1])

    def _new_end(self, old_end: int) -> int:
        """Where a changed span ending at `old_end` ends: after the text that replaced its
        last characters, if they were replaced; else where its last character went."""
        step = self._step_of(old_end - 1)
        if self._equal[step]:
            return self._new_position(old_end, last=False)
        replaced = (
            step + 1 < len(self._equal) - 1 and self._old_at[step + 2] == self._old_at[step + 1]
        )
        return self._new_at[step + 2] if replaced else self._new_at[step]

    def _new_position(self, old: int, *, last: bool) -> int:
        """The new offset at old offset `old`: the first on the path, or the last
        (they differ where text was inserted at that point)."""
        first = bisect_left(self._old_at, old)
        if first < len(self._old_at) and self._old_at[first] == old:
            vertex = bisect_right(self._old_at, old) - 1 if last else first
            return self._new_at[vertex]
        step = first - 1
        inside = old - self._old_at[step]
        return self._new_at[step] + (inside if self._equal[step] else 0)

    def _own(self, start: int, end: int, state: SpanState) -> MappedSpan:
        own_start = self._new.own_start(start)
        own_end = own_start if end == start else self._new.own_end(end)
        return MappedSpan(own_start, own_end, state)


def text_map(old_text: str, new_text: str) -> TextMap:
    """The map of spans of `old_text` onto `new_text`."""
    return TextMap(old_text, new_text)
