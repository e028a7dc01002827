"""Reads of the analysis."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject

from dyads.exceptions import NotFound
from dyads.models import Study
from interviews.models import SEARCH_CONFIG, Interview, SpeakerTurn, TranscriptRevision

from .models import (
    CalibrationAttempt,
    Code,
    Coding,
    CodingSession,
    Decision,
    Memo,
    SessionMode,
    SessionState,
)
from .textsearch import Passage, SearchTerms, Turn, find_passages, query_terms, term_pattern


def codings_visible_to(user, codings: QuerySet[Coding]) -> QuerySet[Coding]:
    """Hide what blind coding must hide.

    While a blind session is open, its coders see only their own codings in it,
    and analysts outside it see none of them; owners and auditors who do not
    code in it see all, so that they can follow progress. A trainee with an
    unsubmitted calibration attempt sees no one else's codings of the reference
    transcript at all.
    """
    open_blind = CodingSession.objects.filter(mode=SessionMode.BLIND, state=SessionState.OPEN)
    coding_in = open_blind.filter(coders=user)
    supervising = open_blind.exclude(coders=user).filter(
        study__memberships__user=user,
        study__memberships__role__in=["owner", "auditor"],
        study__memberships__removed_at__isnull=True,
    )
    calibrating = CalibrationAttempt.objects.filter(trainee=user, submitted_at__isnull=True).values(
        "reference__revision__transcript"
    )
    return codings.filter(
        Q(session__isnull=True)
        | ~Q(session__in=open_blind)
        | Q(session__in=coding_in, coder=user)
        | Q(session__in=supervising)
    ).exclude(Q(revision__transcript__in=calibrating) & ~Q(coder=user))


# The codebook page ---------------------------------------------------------


@dataclass
class CodeNode:
    """A code in the tree, with its visible codings counted and its live memos."""

    code: Code
    depth: int
    codings: int
    memos: list[Memo] = field(default_factory=list)
    children: list["CodeNode"] = field(default_factory=list)


@dataclass(frozen=True)
class Codebook:
    roots: list[CodeNode]
    retired: list[Code]

    def nodes(self) -> list[CodeNode]:
        """Every active code, parents before children, in the tree's order."""
        found, todo = [], list(reversed(self.roots))
        while todo:
            node = todo.pop()
            found.append(node)
            todo.extend(reversed(node.children))
        return found


def codebook(*, user, study: Study) -> Codebook:
    """The study's code tree with counts and memos, and its retired codes (3 queries)."""
    codes = list(
        Code.objects.filter(study=study).select_related("merged_into").order_by("position", "name")
    )
    counts = dict(
        codings_visible_to(user, Coding.objects.filter(study=study, deleted_at__isnull=True))
        .values_list("code")
        .annotate(n=Count("pk"))
        .values_list("code", "n")
    )
    memos = defaultdict(list)
    for memo in Memo.objects.filter(
        study=study, code__isnull=False, deleted_at__isnull=True
    ).select_related("author"):
        memos[memo.code_id].append(memo)
    nodes = {
        code.pk: CodeNode(code=code, depth=0, codings=counts.get(code.pk, 0), memos=memos[code.pk])
        for code in codes
        if code.retired_at is None
    }
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.code.parent_id)
        (parent.children if parent else roots).append(node)
    tree = Codebook(roots=roots, retired=[code for code in codes if code.retired_at is not None])
    for node in tree.nodes():
        for child in node.children:
            child.depth = node.depth + 1
    return tree


@dataclass(frozen=True)
class CodeDetail:
    """One code with where it stands, its memos, the decisions behind it and its excerpts."""

    code: Code
    ancestors: list[Code]
    children: list[Code]
    memos: list[Memo]
    decisions: list[Decision]
    excerpts: list["Excerpt"]


def code_detail(*, user, study: Study, code_id: int) -> CodeDetail:
    """A code of the study, active or retired (4 queries); another study's is NotFound."""
    codes = {
        code.pk: code for code in Code.objects.filter(study=study).select_related("merged_into")
    }
    code = codes.get(code_id)
    if code is None:
        raise NotFound("No such code in this study.")
    ancestors, parent = [], codes.get(code.parent_id)
    while parent is not None:
        ancestors.insert(0, parent)
        parent = codes.get(parent.parent_id)
    return CodeDetail(
        code=code,
        ancestors=ancestors,
        children=[c for c in codes.values() if c.parent_id == code.pk and c.retired_at is None],
        memos=list(code.memos.filter(deleted_at__isnull=True).select_related("author")),
        decisions=list(code.decisions.select_related("meeting", "author")),
        excerpts=list(code_excerpts(user=user, code=code)),
    )


def code_family(code: Code, *, include_subcodes: bool) -> list[int]:
    """The code's id, and with `include_subcodes` those of all codes below it."""
    if not include_subcodes:
        return [code.pk]
    children = defaultdict(list)
    for pk, parent in Code.objects.filter(study_id=code.study_id).values_list("pk", "parent_id"):
        children[parent].append(pk)
    family, todo = [], [code.pk]
    while todo:
        pk = todo.pop()
        family.append(pk)
        todo.extend(children[pk])
    return family


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
    turn = (
        SpeakerTurn.objects.filter(revision=OuterRef("revision"), start__lte=OuterRef("start"))
        .order_by("-start")
        .values(json=JSONObject(speaker="speaker", role="role", start="start", end="end"))[:1]
    )
    rows = (
        codings_visible_to(
            user,
            Coding.objects.filter(
                code__in=code_family(code, include_subcodes=include_subcodes),
                deleted_at__isnull=True,
                revision__transcript__current_revision=F("revision"),
                **{f"{_INTERVIEW}__deleted_at__isnull": True},
                **{key: value for key, value in filters.items() if value not in (None, "")},
            ),
        )
        .annotate(turn=Subquery(turn))
        .order_by(
            f"{_INTERVIEW}__participant__pseudonym", f"{_INTERVIEW}__sequence_number", "start", "pk"
        )
        .values("start", "end", "turn", *_EXCERPT_FIELDS.values())
    )
    return Excerpts(rows)


# Full-text search in transcripts -------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """A transcript that matched, with its first passages and how many matches it has."""

    interview: Interview
    revision: int
    passages: list[Passage]
    matches: int


@dataclass(frozen=True)
class SearchResults:
    query: str
    transcripts: int
    hits: list[SearchHit]


REVISIONS = TranscriptRevision._meta.db_table
# search_document: a stored tsvector with a GIN index (interviews' migrations 0005
# and 0007). A revision imported moments ago may still wait for its document: those
# few, found through a partial index, are parsed here. A condition on the revision
# itself, not an `id IN (...)` subquery, which PostgreSQL ran again for every row.
FULL_TEXT_MATCH = f"""
{REVISIONS}.search_document @@ websearch_to_tsquery(%s::regconfig, %s)
OR ({REVISIONS}.search_document IS NULL AND to_tsvector(%s::regconfig,
    COALESCE({REVISIONS}.text, '')) @@ websearch_to_tsquery(%s::regconfig, %s))
"""


def _matching(revisions: QuerySet[TranscriptRevision], query: str, terms: SearchTerms):
    if connection.vendor == "postgresql":
        return revisions.filter(
            RawSQL(
                FULL_TEXT_MATCH,
                [SEARCH_CONFIG, query, SEARCH_CONFIG, SEARCH_CONFIG, query],
                output_field=BooleanField(),
            )
        )
    for term in terms.include:
        revisions = revisions.filter(text__icontains=term)
    for term in terms.exclude:
        revisions = revisions.exclude(text__icontains=term)
    return revisions


def transcript_search(
    *, study: Study, query: str, offset: int = 0, limit: int = 20
) -> SearchResults:
    """The study's current transcripts that match `query`, with highlighted passages.

    On PostgreSQL the query is web-search syntax ("a phrase", -excluded, or)
    over the full-text index; elsewhere every word must occur as a substring.
    Four queries: the count, the page's ids, their texts with the interviews'
    people, and their turns.
    """
    terms = query_terms(query)
    if not terms.include and not terms.exclude:
        return SearchResults(query=query, transcripts=0, hits=[])
    revisions = _matching(
        TranscriptRevision.objects.filter(
            transcript__interview__study=study,
            transcript__interview__deleted_at__isnull=True,
            transcript__current_revision=F("pk"),
        ),
        query,
        terms,
    )
    ids = list(
        revisions.order_by(
            "transcript__interview__participant__pseudonym",
            "transcript__interview__sequence_number",
        ).values_list("pk", flat=True)[offset : offset + limit]
    )
    page = TranscriptRevision.objects.filter(pk__in=ids).select_related(
        "transcript__interview__participant", "transcript__interview__dyad"
    )
    texts = {revision.pk: revision for revision in page.defer("original_text")}
    turns = defaultdict(list)
    for turn in SpeakerTurn.objects.filter(revision__in=ids).order_by("revision", "start"):
        turns[turn.revision_id].append(Turn(turn.start, turn.end, turn.speaker, turn.index))
    pattern = term_pattern(terms.include)
    hits = []
    for pk in ids:
        revision = texts[pk]
        passages, matches = find_passages(revision.text, pattern, turns[pk]) if pattern else ([], 0)
        hits.append(SearchHit(revision.transcript.interview, pk, passages, matches))
    return SearchResults(query=query, transcripts=revisions.count(), hits=hits)
