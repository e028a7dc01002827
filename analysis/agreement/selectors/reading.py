"""Reads for adjudicating by reading: one disagreement's passage in its context, cut
into stretches by which coders coded them, with the coders' names and their memos
on the codings concerned."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.agreement.passages import layers
from analysis.agreement.selectors.disagreements import PassageView
from analysis.coding.models import Memo
from dyads.selectors import display_names
from interviews.models import SpeakerRole, SpeakerTurn, TranscriptRevision

LETTERS = "ABCDEFGHIJ"
# How much of the transcript around a passage is shown, at most, on either side (code
# points); the context never reaches past the turns the passage lies in.
CONTEXT = 300


@dataclass(frozen=True)
class CoderLabel:
    letter: str
    username: str
    name: str
    coded: bool  # False: the coder did not code this transcript


@dataclass(frozen=True)
class Stretch:
    """A stretch of text with the positions of the coders who gave it the code."""

    text: str
    start: int
    end: int
    coders: tuple[int, ...]
    everyone: int  # how many coders coded the transcript

    @property
    def letters(self) -> str:
        return "+".join(LETTERS[n] for n in self.coders)

    @property
    def kind(self) -> str:
        """The CSS class: none, a coder alone (coder-0, coder-1 …), all or some."""
        if not self.coders:
            return "none"
        if len(self.coders) == 1:
            return f"coder-{self.coders[0]}"
        return "all" if len(self.coders) == self.everyone else "some"


@dataclass(frozen=True)
class ReadingTurn:
    speaker: str
    role: str
    stretches: tuple[Stretch, ...]


@dataclass(frozen=True)
class CoderMemo:
    coder: CoderLabel
    memo: Memo


@dataclass(frozen=True)
class Reading:
    view: PassageView
    coders: tuple[CoderLabel, ...]
    turns: tuple[ReadingTurn, ...]
    memos: tuple[CoderMemo, ...]
    cut_before: bool
    cut_after: bool


def stretches(view: PassageView, body: str, start: int, end: int) -> tuple[Stretch, ...]:
    """[start, end) of the revision's text, cut where any coder's span of the view's code
    begins or ends; `body` is the whole revision text."""
    marks = [(a, b, n) for n, version in enumerate(view.passage.versions) for a, b in version or ()]
    everyone = sum(version is not None for version in view.passage.versions)
    return tuple(
        Stretch(body[a:b], a, b, tuple(sorted(set(labels))), everyone)
        for a, b, labels in layers(start, end, marks)
    )


def coder_labels(view: PassageView) -> tuple[CoderLabel, ...]:
    """The coders of the view's session as A, B …, with their display names (1 query)."""
    names = display_names(view.coders)
    return tuple(
        CoderLabel(LETTERS[n], username, names.get(username, username), version is not None)
        for n, (username, version) in enumerate(view.versions)
    )


def _cut_at_words(body: str, view: PassageView, start: int, end: int) -> tuple[int, int]:
    """The context around the passage within [start, end): at most CONTEXT either side,
    cut between words."""
    first, last = max(view.start - CONTEXT, start), min(view.end + CONTEXT, end)
    if first > start:
        first = body.find(" ", first, view.start) + 1 or first
    if last < end:
        space = body.rfind(" ", view.end, last)
        last = space if space > 0 else last
    return first, last


def disagreement_reading(view: PassageView) -> Reading:
    """The disagreement with the turns around it, its coders and their memos (4 queries)."""
    body = TranscriptRevision.objects.values_list("text", flat=True).get(pk=view.text.revision)
    turns = list(
        SpeakerTurn.objects.filter(
            revision=view.text.revision,
            end__gt=max(view.start - CONTEXT, 0),
            start__lt=view.end + CONTEXT,
        )
        .order_by("index")
        .values_list("speaker", "role", "start", "end")
    ) or [("", SpeakerRole.OTHER, 0, len(body))]
    first, last = _cut_at_words(body, view, turns[0][2], turns[-1][3])
    coders = coder_labels(view)
    by_username = {coder.username: coder for coder in coders}
    memos = (
        Memo.objects.filter(coding__in=view.codings, deleted_at__isnull=True)
        .select_related("coding__coder")
        .order_by("created_at")
    )
    return Reading(
        view=view,
        coders=coders,
        turns=tuple(
            ReadingTurn(
                # Transcripts often open each turn with the speaker's label already.
                "" if body.startswith(speaker, start) else speaker,
                role,
                stretches(view, body, max(start, first), min(end, last)),
            )
            for speaker, role, start, end in turns
            if max(start, first) < min(end, last)
        ),
        memos=tuple(
            CoderMemo(by_username[memo.coding.coder.username], memo)
            for memo in memos
            if memo.coding.coder.username in by_username
        ),
        cut_before=first > turns[0][2],
        cut_after=last < turns[-1][3],
    )
