"""Where the demo's two coders put their codings.

A coding lands on a sentence of a participant's turn whose words anchor a code
(see codebook.CodeSpec.anchors). The two coders differ the way real coders do:
the first codes tight single sentences, the second takes in more context, each
misses some passages, and the second now and then picks a neighbouring code.
That gives the agreement statistics overlaps and disagreements to work on.
"""

import random
import re
from dataclasses import dataclass

from analysis.demo.codebook import CONFUSABLE, leaf_codes

# A sentence runs to . ! or ? (with a trailing "(laughs)"); "..." before a small letter
# ("But also... safe.") does not end it.
SENTENCE = re.compile(
    r"[^\s.!?](?:[^.!?\n]|\.\.\.(?=\s+[a-z]))*(?:[.!?]+(?:\s*\((?:laughs|pause)\))?|$)",
    re.MULTILINE,
)
LABEL_END = re.compile(r"^(?:\[[^\]]*\]\s+)?[^:\n]{1,40}:\s")


@dataclass(frozen=True)
class Coder:
    miss: float  # share of anchored passages the coder passes over
    extend_next: float  # takes in the following sentence as well
    extend_previous: float  # takes in the preceding sentence as well
    whole_turn: float  # codes the whole answer
    confuse: float  # picks the neighbouring code instead


SPLITTER = Coder(miss=0.15, extend_next=0.2, extend_previous=0.0, whole_turn=0.0, confuse=0.0)
LUMPER = Coder(miss=0.2, extend_next=0.4, extend_previous=0.15, whole_turn=0.1, confuse=0.12)


@dataclass(frozen=True)
class PlannedCoding:
    """A coding the demo will make: the code's name and the span of text it covers."""

    code: str
    start: int
    end: int


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of text[start:end] after its speaker label, as absolute offsets."""
    turn = text[start:end]
    label = LABEL_END.match(turn)
    body = label.end() if label else 0
    return [
        (start + body + match.start(), start + body + match.end())
        for match in SENTENCE.finditer(turn[body:])
    ]


def anchored(text: str, turns: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """(code, turn number, sentence number) for every sentence that anchors a code."""
    patterns = [
        (spec.name, re.compile("|".join(spec.anchors), re.IGNORECASE)) for spec in leaf_codes()
    ]
    found = []
    for number, (start, end) in enumerate(turns):
        for index, (s_start, s_end) in enumerate(sentences(text, start, end)):
            sentence = text[s_start:s_end]
            found.extend(
                (name, number, index) for name, pattern in patterns if pattern.search(sentence)
            )
    return found


def plan_codings(
    text: str,
    participant_turns: list[tuple[int, int]],
    coder: Coder,
    rng: random.Random,
    most: int = 38,
) -> list[PlannedCoding]:
    """The spans one coder codes in a transcript, at most `most` of them, in text order."""
    by_turn = [sentences(text, start, end) for start, end in participant_turns]
    spans: dict[str, list[tuple[int, int]]] = {}
    for name, number, index in anchored(text, participant_turns):
        if rng.random() < coder.miss:
            continue
        turn = by_turn[number]
        first, last = index, index
        roll = rng.random()
        if roll < coder.whole_turn:
            first, last = 0, len(turn) - 1
        elif roll < coder.whole_turn + coder.extend_next:
            last = min(index + 1, len(turn) - 1)
        elif roll < coder.whole_turn + coder.extend_next + coder.extend_previous:
            first = max(index - 1, 0)
        if name in CONFUSABLE and rng.random() < coder.confuse:
            name = CONFUSABLE[name]
        _add(spans.setdefault(name, []), turn[first][0], turn[last][1])
    planned = [
        PlannedCoding(name, start, end) for name, found in spans.items() for start, end in found
    ]
    if len(planned) > most:
        planned = rng.sample(planned, most)
    return sorted(planned, key=lambda span: (span.start, span.end, span.code))


def _add(found: list[tuple[int, int]], start: int, end: int) -> None:
    """Add a span for one code, merging it with any span of that code it overlaps."""
    for number, (other_start, other_end) in enumerate(found):
        if start < other_end and other_start < end:
            found[number] = (min(start, other_start), max(end, other_end))
            return
    found.append((start, end))
