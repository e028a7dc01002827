"""The demo's transcript texts: assembled from the passage bank, or read from the samples.

`compose` writes one interview as a transcriber would deliver it, in one of three
label styles ("I:" / "T:" with continuing paragraphs, "[hh:mm:ss] Interviewer:",
or "Interviewer:" / "C4:"). The sample files are the fictional transcripts that
ship with the project; `sample_transcript` turns them into the same plain text,
relabels the real speaker names with pseudonyms and applies the study's
replacement list, as the import pipeline will.
"""

import random
import re
from dataclasses import dataclass
from pathlib import Path

from analysis.demo.passages import (
    CLIENT_BACKGROUND,
    CLIENT_THERAPY,
    CLOSING_QUESTION,
    CLOSINGS,
    HESITATIONS,
    OPENINGS,
    PROBES,
    THANKS,
    THERAPIST_BACKGROUND,
    THERAPIST_THERAPY,
    Topic,
)
from interviews.pseudonymise import load_replacements, pseudonymise

SAMPLES = Path(__file__).resolve().parent / "samples"

PRONOUNS = {
    "female": {"p": "she", "o": "her", "ps": "her", "self": "herself"},
    "male": {"p": "he", "o": "him", "ps": "his", "self": "himself"},
}

STYLES = ("letters", "stamped", "named")


@dataclass(frozen=True)
class Plan:
    """Which topics an interview asks about: some always, then a number of the others."""

    bank: dict[str, Topic]
    first: tuple[str, ...]
    last: tuple[str, ...] = ()
    more: int = 4


PLANS = {
    ("therapist", "background", 1): Plan(
        THERAPIST_BACKGROUND, first=("path into the profession",), more=3
    ),
    ("therapist", "background"): Plan(THERAPIST_BACKGROUND, first=(), more=4),
    ("therapist", "therapy"): Plan(THERAPIST_THERAPY, first=("relationship",), more=7),
    ("therapist", "therapy", "after"): Plan(
        THERAPIST_THERAPY, first=(), last=("ending", "outcome"), more=5
    ),
    ("client", "background"): Plan(CLIENT_BACKGROUND, first=("coming to therapy",), more=4),
    ("client", "therapy"): Plan(
        CLIENT_THERAPY, first=("characterising the therapy",), last=("ending", "change"), more=7
    ),
}


def pronouns(gender: str) -> dict[str, str]:
    words = PRONOUNS["male" if gender == "male" else "female"]
    return {**words, "P": words["p"].capitalize(), "Ps": words["ps"].capitalize()}


def _choose_topics(plan: Plan, rng: random.Random, used: set[str]) -> list[tuple[str, Topic]]:
    fixed = set(plan.first) | set(plan.last)
    others = [name for name in plan.bank if name not in fixed]
    # Prefer topics this participant was not asked about before, then those with untold pieces.
    others.sort(
        key=lambda name: (
            f"topic:{name}" in used,
            -sum(piece not in used for piece in plan.bank[name].pieces),
            rng.random(),
        )
    )
    chosen = set(others[: plan.more])
    middle = [name for name in plan.bank if name in chosen]
    names = (*plan.first, *middle, *plan.last)
    used.update(f"topic:{name}" for name in names)
    return [(name, plan.bank[name]) for name in names]


def _pieces(topic: Topic, rng: random.Random, used: set[str]) -> list[str]:
    """One opening and a detail or two, preferring what this participant has not told yet."""

    def pick(options: tuple[str, ...], count: int) -> list[str]:
        fresh = [piece for piece in options if piece not in used]
        told = [piece for piece in options if piece in used]
        rng.shuffle(fresh)
        rng.shuffle(told)
        return (fresh + told)[:count]

    chosen = pick(topic.leads, 1) + pick(topic.details, rng.choice((1, 1, 2)))
    used.update(chosen)
    return chosen


class _Writer:
    """Collects turns and renders them in one label style."""

    def __init__(self, style: str, participant: str, short_label: str, rng: random.Random):
        self.style, self.participant, self.short_label, self.rng = (
            style,
            participant,
            short_label,
            rng,
        )
        self.turns: list[str] = []
        self.seconds = rng.uniform(2, 9)

    def say(self, interviewer: bool, paragraphs: list[str]) -> None:
        if self.style == "letters":
            label = "I" if interviewer else self.short_label
            body = "\n\n".join(paragraphs)
            self.turns.append(f"{label}: {body}")
            return
        body = " ".join(paragraphs)
        label = "Interviewer" if interviewer else self.participant
        if self.style == "named":
            self.turns.append(f"{label}: {body}")
            return
        stamp = int(self.seconds)
        self.turns.append(
            f"[{stamp // 3600:02d}:{stamp % 3600 // 60:02d}:{stamp % 60:02d}] {label}: {body}"
        )
        self.seconds += len(body.split()) / 2.4 + self.rng.uniform(0.8, 4.5)

    def text(self) -> str:
        return "\n\n".join(self.turns) + "\n"


def compose(
    *,
    role: str,
    focus: str,
    timing: str,
    sequence_number: int,
    pseudonym: str,
    other_gender: str,
    seed: str,
    used: set[str],
    orientation: str = "integrative",
    job: str = "a teacher",
    style: str | None = None,
) -> str:
    """One interview's transcript, different for every seed.

    `role` is the interviewee's ("therapist" or "client"), `focus` "background",
    "therapy" or "both"; `used` collects the pieces this participant has already
    told, so that their later interviews tell others.
    """
    rng = random.Random(seed)
    words = {**pronouns(other_gender), "orientation": orientation, "job": job}
    writer = _Writer(style or rng.choice(STYLES), pseudonym, role[0].upper(), rng)

    if focus == "both":
        topics = _choose_topics(
            Plan(CLIENT_BACKGROUND, first=("coming to therapy",), more=2), rng, used
        ) + _choose_topics(
            Plan(CLIENT_THERAPY, first=("relationship",), last=("change",), more=4), rng, used
        )
        opening = OPENINGS[(role, 0)]
    else:
        plan = next(
            PLANS[key]
            for key in ((role, focus, sequence_number), (role, focus, timing), (role, focus))
            if key in PLANS
        )
        topics = _choose_topics(plan, rng, used)
        opening = OPENINGS[
            (role, sequence_number if role == "therapist" else min(sequence_number, 2))
        ]

    for number, (_, topic) in enumerate(topics):
        question = rng.choice(topic.questions).format_map(words)
        if number == 0:
            question = f"{opening} {question}"
        pieces = [piece.format_map(words) for piece in _pieces(topic, rng, used)]
        split = (
            rng.randint(1, len(pieces) - 1)
            if len(pieces) > 1 and rng.random() < 0.6
            else len(pieces)
        )
        first, rest = pieces[:split], pieces[split:]
        writer.say(True, [question])
        writer.say(False, _answer(first, rng))
        if rest:
            writer.say(True, [rng.choice(PROBES)])
            writer.say(False, _answer(rest, rng))

    writer.say(True, [CLOSING_QUESTION])
    closings = CLOSINGS[(role, "therapy" if focus == "both" else focus)]
    writer.say(False, [rng.choice(closings).format_map(words)])
    writer.say(True, [rng.choice(THANKS)])
    return writer.text()


def _answer(pieces: list[str], rng: random.Random) -> list[str]:
    """An answer's paragraphs: a hesitation now and then, sometimes a paragraph break."""
    pieces = list(pieces)
    if not pieces[0].startswith(("Yes", "No", "Mm", "Hmm")):
        pieces[0] = rng.choice(HESITATIONS) + pieces[0]
    if rng.random() < 0.06 and not pieces[-1].endswith(")"):
        pieces[-1] += " (laughs)"
    if len(pieces) > 1 and rng.random() < 0.5:
        return pieces
    return [" ".join(pieces)]


# The sample files -------------------------------------------------------------------------

CUE = re.compile(
    r"^(?P<start>\d{2}:\d{2}:\d{2})\.\d{3} --> [\d:.]+\n<v (?P<voice>[^>]+)>(?P<text>.+)$",
    re.MULTILINE,
)
NOTE = re.compile(r"^NOTE (?P<note>.+)$", re.MULTILINE)


def read_sample(name: str) -> str:
    """A sample file's text without a byte-order mark, with Unix line ends."""
    raw = (SAMPLES / name).read_bytes().decode("utf-8-sig")
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def vtt_as_text(vtt: str) -> tuple[str, str]:
    """WebVTT with <v Name> voices as `[hh:mm:ss] Name: text` paragraphs, and its NOTE."""
    lines = [
        f"[{cue['start']}] {cue['voice'].strip()}: {cue['text'].strip()}"
        for cue in CUE.finditer(vtt)
    ]
    note = NOTE.search(vtt)
    return "\n\n".join(lines) + "\n", note["note"].strip() if note else ""


def relabel(text: str, speakers: dict[str, str]) -> str:
    """Replace speaker labels at the start of lines (after an optional timestamp)."""
    for name, pseudonym in speakers.items():
        text = re.sub(
            rf"^(\[[\d:.,]+\]\s+)?{re.escape(name)}(\s*:)",
            lambda match, new=pseudonym: f"{match.group(1) or ''}{new}{match.group(2)}",
            text,
            flags=re.MULTILINE,
        )
    return text


@dataclass(frozen=True)
class SampleTranscript:
    text: str
    original_text: str
    source_name: str
    source_format: str
    note: str = ""


def replacements() -> list[tuple[str, str]]:
    return load_replacements(SAMPLES / "replacements.csv")


def sample_transcript(name: str, speakers: dict[str, str]) -> SampleTranscript:
    """A sample file as plain transcript text: speakers relabelled, names replaced."""
    original = read_sample(name)
    note = ""
    if name.endswith(".vtt"):
        original, note = vtt_as_text(original)
    pairs = replacements()
    return SampleTranscript(
        text=pseudonymise(relabel(original, speakers), pairs),
        original_text=original,
        source_name=name,
        source_format=name.rsplit(".", 1)[-1],
        note=pseudonymise(note, pairs),
    )
