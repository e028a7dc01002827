"""Where a span of a text lies once every occurrence of a string in it is replaced (pure).

A redaction knows exactly what it replaced, so its map is exact rather than a diff's
guess (interviews.anchoring diffs two texts character by character, and would match
letters of "[redacted]" with letters of the name it replaced). `ReplacementMap.span`
answers like `TextMap.span`: a span that touches no occurrence moves by the length
change and is `unchanged`; a span that starts or ends inside an occurrence is widened
to the whole replacement and is `changed`. Nothing vanishes, since the replacement is
never empty. Offsets are code points, end exclusive.
"""

from bisect import bisect_left, bisect_right

from .anchoring import MappedSpan, SpanState


class ReplacementMap:
    def __init__(self, old_text: str, text: str, replacement: str):
        if not text or not replacement:
            raise ValueError("A replacement map needs a text and a non-empty replacement.")
        self._starts: list[int] = []
        found = old_text.find(text)
        while found != -1:
            self._starts.append(found)
            found = old_text.find(text, found + len(text))
        self._length = len(text)
        self._replacement = len(replacement)
        self._delta = len(replacement) - len(text)

    def _shifted(self, occurrence: int) -> int:
        """The new offset of the start of the occurrence numbered `occurrence`."""
        return self._starts[occurrence] + occurrence * self._delta

    def _new_start(self, start: int) -> int:
        before = bisect_right(self._starts, start)  # occurrences starting at or before
        if before and start < self._starts[before - 1] + self._length:
            return self._shifted(before - 1)
        return start + before * self._delta

    def _new_end(self, end: int) -> int:
        before = bisect_left(self._starts, end)  # occurrences starting before
        if before and end <= self._starts[before - 1] + self._length:
            return self._shifted(before - 1) + self._replacement
        return end + before * self._delta

    def _touches(self, start: int, end: int) -> bool:
        before = bisect_left(self._starts, end)
        return bool(before) and self._starts[before - 1] + self._length > start

    def span(self, start: int, end: int) -> MappedSpan:
        """Where the old text's [start, end) lies in the text with the replacements."""
        state = SpanState.CHANGED if self._touches(start, end) else SpanState.UNCHANGED
        return MappedSpan(self._new_start(start), self._new_end(end), state)
