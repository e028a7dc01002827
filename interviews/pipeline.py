"""From an uploaded file to what is stored: read, parse, build, pseudonymise, assign roles.

The import preview and the import job run the same steps, so what the user
confirms is what gets stored. Nothing here touches the database.
"""

import dataclasses
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .parsers import Draft, draft, read_source
from .pseudonymise import Pseudonymised, Pseudonymiser
from .roles import assign_roles, chosen_role
from .turns import ParsedTurn

Progress = Callable[[int], None]


def no_progress(percent: int) -> None:
    return None


@dataclass(frozen=True)
class SpeakerLabel:
    label: str  # as stored, pseudonymised
    original: str  # as in the file; shown in the preview, never stored
    turns: int
    role: str


@dataclass(frozen=True)
class ReplacementCount:
    original: str
    replacement: str
    count: int


@dataclass(frozen=True)
class Prepared:
    format: str
    text: str
    original_text: str
    turns: list[ParsedTurn]
    labels: list[SpeakerLabel]
    replaced: list[ReplacementCount]

    def report(self) -> list[dict]:
        """What the job stores: pseudonyms and counts, never the real names."""
        counts: Counter[str] = Counter()
        for entry in self.replaced:
            counts[entry.replacement] += entry.count
        return [{"replacement": name, "count": count} for name, count in counts.most_common()]


def prepare(
    *,
    name: str,
    content: bytes,
    pseudonymiser: Pseudonymiser,
    speaker_roles: dict[str, str] | None = None,
    progress: Progress = no_progress,
) -> Prepared:
    """The transcript to store, or UnreadableFile naming the file and the reason.

    `speaker_roles` maps pseudonymised speaker labels to a role or to TEXT.
    """
    built = draft(read_source(name, content))
    progress(40)
    result = pseudonymiser.apply(built.text)
    turns = _pseudonymised_turns(built, result, pseudonymiser)
    progress(70)
    roles = speaker_roles or {}
    return Prepared(
        format=built.format,
        text=result.text,
        original_text=built.text,
        turns=assign_roles(turns, roles),
        labels=_labels(built.turns, turns, roles),
        replaced=[
            ReplacementCount(entry.original, entry.replacement, count)
            for entry, count in pseudonymiser.report(result)
        ],
    )


def _pseudonymised_turns(
    built: Draft, result: Pseudonymised, pseudonymiser: Pseudonymiser
) -> list[ParsedTurn]:
    speakers = {label: pseudonymiser.replace(label) for label in {t.speaker for t in built.turns}}
    return [
        dataclasses.replace(
            turn,
            speaker=speakers[turn.speaker],
            start=result.position(turn.start),
            end=result.position(turn.end),
        )
        for turn in built.turns
    ]


def _labels(
    originals: list[ParsedTurn], turns: list[ParsedTurn], roles: dict[str, str]
) -> list[SpeakerLabel]:
    """The speaker labels in order of appearance, with their turn counts and roles."""
    counts: Counter[str] = Counter()
    first_original: dict[str, str] = {}
    for original, turn in zip(originals, turns, strict=True):
        if turn.speaker:
            counts[turn.speaker] += 1
            first_original.setdefault(turn.speaker, original.speaker)
    return [
        SpeakerLabel(
            label=label,
            original=first_original[label],
            turns=counts[label],
            role=chosen_role(label, roles),
        )
        for label in counts
    ]


def pseudonymised_roles(pseudonymiser: Pseudonymiser, roles: dict[str, str]) -> dict[str, str]:
    """A label → role mapping given with the labels as in the file, keyed as stored."""
    return {pseudonymiser.replace(label.strip()): role for label, role in roles.items()}
