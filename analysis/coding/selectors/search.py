"""Full-text search in the study's current transcripts, with highlighted hits."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, F, QuerySet
from django.db.models.expressions import RawSQL

from analysis.coding.textsearch import (
    Passage,
    SearchTerms,
    Turn,
    find_passages,
    query_terms,
    term_pattern,
)
from dyads.models import Study
from interviews.models import SEARCH_CONFIG, Interview, SpeakerTurn, TranscriptRevision

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
