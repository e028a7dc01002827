"""A revision's search document is computed after its import, not inside it.

Parsing a 15,000-word transcript for full-text search (to_tsvector) takes
PostgreSQL about 17 ms, the largest single cost of an import. The column stops
being generated: a revision is stored without it, and the task that fills it
(interviews.services.search_documents) runs once the import has committed.
Search answers from the index for filled revisions and parses the few that are
still pending on the spot, found through the partial index below, so a fresh
transcript is never missed. Values already computed are kept.
"""

from django.db import migrations

from dyads.postgres import run_sql_on_postgresql

FILLED_AFTER_IMPORT = """
ALTER TABLE interviews_transcriptrevision ALTER COLUMN search_document DROP EXPRESSION;
CREATE INDEX interviews_revision_search_pending ON interviews_transcriptrevision (id)
  WHERE search_document IS NULL;
"""
GENERATED_AGAIN = """
DROP INDEX interviews_revision_search_pending;
DROP INDEX interviews_revision_search_document;
ALTER TABLE interviews_transcriptrevision DROP COLUMN search_document;
ALTER TABLE interviews_transcriptrevision ADD COLUMN search_document tsvector
  GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(text, ''::text))) STORED;
CREATE INDEX interviews_revision_search_document ON interviews_transcriptrevision
  USING gin (search_document);
"""


class Migration(migrations.Migration):
    dependencies = [("interviews", "0006_lz4_text_compression")]

    operations = [run_sql_on_postgresql(FILLED_AFTER_IMPORT, GENERATED_AGAIN)]
