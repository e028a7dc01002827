"""Finding speaker turns in a transcript's text.

A turn starts at a line that opens with a speaker label and runs until the
next labelled line; unlabelled paragraphs continue the current turn. Labels
look like "I:", "Interviewer:", "T:", "C:", "P1:", "Participant 2:",
"Dr. Berg:", optionally with the transcriber's timestamp before or after the
name: "[00:01:23] Magnus:", "00:01:23 Kari:", "(01:23) I:", "Kari [00:01:23]:".
A label is at most three words, so that a sentence ending in a colon does not
start a turn. The label is kept in the text (the text is what was delivered),
and each turn records the label and, where the transcriber gave one, its
timestamp.
"""

import dataclasses
import re
from dataclasses import dataclass

STAMP = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
TIMESTAMP = rf"[\[(]?(?P<ts>{STAMP})[\])]?"
TRAILING_TIMESTAMP = rf"[\[(](?P<ts_after>{STAMP})[\])]"
LABEL = r"(?P<label>[^\W\d_][\w.'\-]{0,30}(?: [\w.'\-]{1,30}){0,2}|[A-Z]{1,3}\d{0,2})"
LABEL_LINE = re.compile(
    rf"^(?:{TIMESTAMP}\s+)?{LABEL}(?:\s*{TRAILING_TIMESTAMP})?\s*:\s", re.MULTILINE
)
# A leading timestamp without a label, as in an unlabelled subtitle cue.
LEADING_TIMESTAMP = re.compile(rf"^{TIMESTAMP}\s+")

INTERVIEWER_LABELS = {"i", "int", "interviewer", "intervjuer", "q", "researcher"}


@dataclass(frozen=True)
class ParsedTurn:
    """A speaker turn as parsed from a file's text, before it is stored as a SpeakerTurn."""

    speaker: str
    start: int
    end: int
    t_start: int | None = None
    t_end: int | None = None
    role: str | None = None


def timestamp_ms(stamp: str) -> int:
    """'01:02:03.5' or '02:03' to milliseconds."""
    stamp = stamp.replace(",", ".")
    parts = [float(part) for part in stamp.split(":")]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return round(seconds * 1000)


def is_interviewer_label(label: str) -> bool:
    return label.strip().rstrip(".").lower() in INTERVIEWER_LABELS


def match_stamp(match: re.Match[str]) -> int | None:
    """The timestamp of a LABEL_LINE match in milliseconds, before or after the name."""
    stamp = match.group("ts") or match.group("ts_after")
    return timestamp_ms(stamp) if stamp else None


def detect_turns(text: str) -> list[ParsedTurn]:
    """Speaker turns of `text`, offsets in code points, trailing blank lines trimmed."""
    matches = list(LABEL_LINE.finditer(text))
    if not matches:
        stripped = text.rstrip()
        return [ParsedTurn(speaker="", start=0, end=len(stripped))] if stripped else []
    turns = []
    if text[: matches[0].start()].strip():
        turns.append(ParsedTurn(speaker="", start=0, end=len(text[: matches[0].start()].rstrip())))
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(text)
        end = match.start() + len(text[match.start() : end].rstrip())
        turns.append(
            ParsedTurn(
                speaker=match.group("label").strip(),
                start=match.start(),
                end=end,
                t_start=match_stamp(match),
            )
        )
    return close_timestamps(turns)


def close_timestamps(turns: list[ParsedTurn]) -> list[ParsedTurn]:
    """A timed turn without an end ends when the next timed turn starts."""
    closed = []
    following = None
    for turn in reversed(turns):
        if turn.t_start is not None and turn.t_end is None and following is not None:
            turn = dataclasses.replace(turn, t_end=max(following, turn.t_start))
        if turn.t_start is not None:
            following = turn.t_start
        closed.append(turn)
    return closed[::-1]
