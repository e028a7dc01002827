"""Full-text search in the study's current transcripts, with highlighted hits."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db import connection
from django.db.models import F, Q, QuerySet
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


# search_document: a stored tsvector with a GIN index (interviews' migrations 0005
# and 0007). It stays a PostgreSQL column outside the model state, read here as a
# SearchVectorField expression: as a model field every revision loaded anywhere would
# bring its document too (67 kB beside 51 kB of text; 100 revisions read in 153-217
# ms instead of 36-42). A revision imported moments ago may still wait for its
# document: those few, found through a partial index, are parsed here. A condition on
# the revision itself, not an `id IN (...)` subquery, which PostgreSQL ran again for
# every row.
STORED_DOCUMENT = RawSQL(
    f'"{TranscriptRevision._meta.db_table}"."search_document"', [], output_field=SearchVectorField()
)


def _matching(revisions: QuerySet[TranscriptRevision], query: str, terms: SearchTerms):
    if connection.vendor == "postgresql":
        search = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return revisions.alias(
            document=STORED_DOCUMENT, parsed=SearchVector("text", config=SEARCH_CONFIG)
        ).filter(Q(document=search) | Q(document__isnull=True, parsed=search))
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
