"""Filling the search documents of revisions stored without one (migration 0007).

An import stores its revision and commits; the full-text document, which costs
PostgreSQL about as much as the rest of the import, is computed afterwards by
the task this module's enqueue starts. Until then search parses the pending
revision itself (analysis.selectors), so nothing is missed, only slower. The
document is derived from the immutable text, so filling it is not audited.
"""

from django.core.cache import cache
from django.db import connection, transaction

from ..models import SEARCH_CONFIG, TranscriptRevision

BATCH = 20
# The cache key that marks a fill as queued, and how long the mark holds at most.
FILL_QUEUED = "interviews:search-documents-fill-queued"
FILL_QUEUED_SECONDS = 60
TABLE = TranscriptRevision._meta.db_table

FILL = f"""
UPDATE {TABLE} SET search_document = to_tsvector(%s::regconfig, COALESCE(text, ''))
WHERE id IN (
  SELECT id FROM {TABLE} WHERE search_document IS NULL
  ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED
)
"""


def search_documents_fill(*, batch: int = BATCH) -> int:
    """Compute every pending search document, `batch` revisions per transaction.

    Revisions another run is filling are skipped, not waited for. Returns how
    many this run filled (0 where the database has no full-text column).
    """
    if connection.vendor != "postgresql":
        return 0
    filled = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(FILL, [SEARCH_CONFIG, batch])
            done = cursor.rowcount
        filled += done
        if done < batch:
            return filled


def search_documents_fill_later() -> None:
    """Fill the pending search documents in the worker once the current transaction commits.

    One fill at a time waits in the queue: a bulk import's hundred revisions are
    filled by one or two tasks, not a hundred. The task takes the mark away before
    it looks for pending revisions, so a revision committed after that look
    enqueues a fill of its own; a lost message is made up for by the periodic fill.
    """
    if connection.vendor == "postgresql":
        transaction.on_commit(_enqueue)


def search_documents_fill_taken() -> None:
    """The queued fill has started: the next revision stored enqueues another."""
    cache.delete(FILL_QUEUED)


def _enqueue() -> None:
    from ..tasks import search_documents_fill_task  # the task module imports the services

    if cache.add(FILL_QUEUED, True, timeout=FILL_QUEUED_SECONDS):
        search_documents_fill_task.delay()
