"""A code's excerpts across the study, each with its context inside the speaker turn."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject

from analysis.coding.models import Code, Coding
from analysis.coding.selectors.codings import code_family, codings_visible_to
from dyads.selectors import display_name
from interviews.models import SpeakerTurn, TranscriptRevision

# Retrieval: a code's excerpts ---------------------------------------------------

EXCERPT_CONTEXT = 250  # code points either side, never past the speaker turn


@dataclass(frozen=True)
class Excerpt:
    """A coded passage with its context and where it comes from."""

    coding: int
    code: int
    code_name: str
    colour: str
    revision: int
    interview: int
    start: int
    end: int
    before: str
    text: str
    after: str
    speaker: str
    speaker_role: str
    participant: str
    role: str
    dyad: int | None
    dyad_label: str
    interview_number: int
    coder: str
    coder_name: str
    session: int | None
    session_name: str
    created_at: dt.datetime


_INTERVIEW = "revision__transcript__interview"
_EXCERPT_FIELDS = {
    "coding": "pk",
    "code": "code_id",
    "code_name": "code__name",
    "colour": "code__colour",
    "revision": "revision_id",
    "interview": f"{_INTERVIEW}_id",
    "participant": f"{_INTERVIEW}__participant__pseudonym",
    "role": f"{_INTERVIEW}__participant__role",
    "dyad": f"{_INTERVIEW}__dyad_id",
    "dyad_label": f"{_INTERVIEW}__dyad__label",
    "interview_number": f"{_INTERVIEW}__sequence_number",
    "coder": "coder__username",
    "coder_name": "coder_name",
    "session": "session_id",
    "session_name": "session__name",
    "created_at": "created_at",
}


def _excerpt(row: dict, text: str) -> Excerpt:
    """Cut the coded span and its context from the text, the context clipped to the turn."""
    start, end = row["start"], row["end"]
    turn = row["turn"] or {}
    low = min(start, max(start - EXCERPT_CONTEXT, turn.get("start", 0)))
    high = max(end, min(end + EXCERPT_CONTEXT, turn.get("end", len(text))))
    return Excerpt(
        **{name: row[path] for name, path in _EXCERPT_FIELDS.items()},
        start=start,
        end=end,
        before=text[low:start],
        text=text[start:end],
        after=text[end:high],
        speaker=turn.get("speaker", ""),
        speaker_role=turn.get("role", ""),
    )


def _cut(rows: list[dict]) -> list[Excerpt]:
    """The excerpts of these rows; each revision's text is read once, a few at a time.

    Python slices a string by code point in constant time; PostgreSQL's SUBSTR
    on UTF-8 text walks every character before the offset, which made 500
    windows cost more than reading each of their ~100 transcripts once.
    """
    rows_of = defaultdict(list)
    for row in rows:
        rows_of[row["revision_id"]].append(row)
    excerpts = {}
    texts = TranscriptRevision.objects.filter(pk__in=rows_of).values_list("pk", "text")
    for revision, text in texts.iterator(chunk_size=20):
        for row in rows_of[revision]:
            excerpts[row["pk"]] = _excerpt(row, text)
    return [excerpts[row["pk"]] for row in rows]


class Excerpts:
    """A lazy list of excerpts: counting and slicing run in the database, and only
    the rows asked for (a page) are fetched and cut. Django's Paginator takes it."""

    def __init__(self, rows: QuerySet):
        self._rows = rows

    def count(self) -> int:
        return self._rows.count()

    def __getitem__(self, index: slice) -> list[Excerpt]:
        return _cut(list(self._rows[index]))

    def __iter__(self) -> Iterator[Excerpt]:
        return iter(_cut(list(self._rows)))


def code_excerpts(
    *,
    user,
    code: Code,
    include_subcodes: bool = False,
    role: str | None = None,
    dyad: int | None = None,
    interview: int | None = None,
    coder: str | None = None,
    session: int | None = None,
) -> Excerpts:
    """The code's codings that `user` may see, on current transcripts, as excerpts.

    Two queries whatever the number of excerpts: the codings with where they
    come from and their enclosing speaker turn (a correlated subquery, one
    index probe each), then the texts of their revisions, each once.
    """
    filters = {
        f"{_INTERVIEW}__participant__role": role,
        f"{_INTERVIEW}__dyad": dyad,
        f"{_INTERVIEW}_id": interview,
        "coder__username": coder,
        "session": session,
    }
    codings = codings_visible_to(
        user,
        Coding.objects.filter(
            code__in=code_family(code, include_subcodes=include_subcodes),
            deleted_at__isnull=True,
            revision__transcript__current_revision=F("revision"),
            **{f"{_INTERVIEW}__deleted_at__isnull": True},
            **{key: value for key, value in filters.items() if value not in (None, "")},
        ),
    ).order_by(
        f"{_INTERVIEW}__participant__pseudonym", f"{_INTERVIEW}__sequence_number", "start", "pk"
    )
    return codings_as_excerpts(codings)


def codings_as_excerpts(codings: QuerySet[Coding]) -> Excerpts:
    """These codings, in their order, as excerpts in their speaker turns (two queries
    when read: the codings with their turn, then their revisions' texts)."""
    turn = (
        SpeakerTurn.objects.filter(revision=OuterRef("revision"), start__lte=OuterRef("start"))
        .order_by("-start")
        .values(json=JSONObject(speaker="speaker", role="role", start="start", end="end"))[:1]
    )
    rows = codings.annotate(turn=Subquery(turn), coder_name=display_name("coder")).values(
        "start", "end", "turn", *_EXCERPT_FIELDS.values()
    )
    return Excerpts(rows)
