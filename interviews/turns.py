"""Finding speaker turns in a transcript's text.

A turn starts at a line that opens with a speaker label ("I:", "Interviewer:",
"T:", "P1:", "[00:01:23] Magnus:", "00:01:23 Kari:") and runs until the next
labelled line; unlabelled paragraphs continue the current turn. The label is
kept in the text (the text is what was delivered), and each turn records the
label and, where the transcriber gave one, its timestamp.
"""

import re
from dataclasses import dataclass

TIMESTAMP = r"\[?(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\]?"
LABEL = r"(?P<label>[^\W\d_][\w .'\-]{0,30}?|[A-Z]{1,3}\d{0,2})"
LABEL_LINE = re.compile(rf"^(?:{TIMESTAMP}\s+)?{LABEL}\s*:\s", re.MULTILINE)

INTERVIEWER_LABELS = {"i", "int", "interviewer", "intervjuer", "q", "researcher"}


@dataclass(frozen=True)
class Turn:
    speaker: str
    start: int
    end: int
    t_start: int | None = None
    t_end: int | None = None


def timestamp_ms(stamp: str) -> int:
    """'01:02:03.5' or '02:03' to milliseconds."""
    stamp = stamp.replace(",", ".")
    parts = [float(part) for part in stamp.split(":")]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return round(seconds * 1000)


def is_interviewer_label(label: str) -> bool:
    return label.strip().lower() in INTERVIEWER_LABELS


def detect_turns(text: str) -> list[Turn]:
    """Speaker turns of `text`, offsets in code points, trailing blank lines trimmed."""
    matches = list(LABEL_LINE.finditer(text))
    if not matches:
        stripped = text.rstrip()
        return [Turn(speaker="", start=0, end=len(stripped))] if stripped else []
    turns = []
    if text[: matches[0].start()].strip():
        turns.append(Turn(speaker="", start=0, end=len(text[: matches[0].start()].rstrip())))
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(text)
        end = match.start() + len(text[match.start() : end].rstrip())
        stamp = match.group("ts")
        turns.append(
            Turn(
                speaker=match.group("label").strip(),
                start=match.start(),
                end=end,
                t_start=timestamp_ms(stamp) if stamp else None,
            )
        )
    return _close_timestamps(turns)


def _close_timestamps(turns: list[Turn]) -> list[Turn]:
    """A timed turn ends when the next timed turn starts."""
    closed = []
    for number, turn in enumerate(turns):
        following = next((t.t_start for t in turns[number + 1 :] if t.t_start is not None), None)
        if turn.t_start is not None and turn.t_end is None and following is not None:
            turn = Turn(turn.speaker, turn.start, turn.end, turn.t_start, following)
        closed.append(turn)
    return closed
