"""Full-text search reads a stored tsvector instead of parsing the transcript each time.

The expression index of 0003 made PostgreSQL's planner parse every transcript
(to_tsvector over ~90,000 characters, tens of milliseconds each) whenever it
preferred a scan over the index, and for every match it rechecked. A stored,
generated column holds the parsed document once, computed on insert as the
index already was, and the GIN index is built on it. PostgreSQL only: the
column is outside Django's model state (SQLite searches by substring).
"""

from django.db import migrations

from dyads.postgres import run_sql_on_postgresql

SEARCH_DOCUMENT = """
DROP INDEX IF EXISTS interviews_revision_text_fts;
ALTER TABLE interviews_transcriptrevision ADD COLUMN search_document tsvector
  GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(text, ''::text))) STORED;
CREATE INDEX interviews_revision_search_document ON interviews_transcriptrevision
  USING gin (search_document);
"""
DROP_SEARCH_DOCUMENT = """
DROP INDEX interviews_revision_search_document;
ALTER TABLE interviews_transcriptrevision DROP COLUMN search_document;
CREATE INDEX interviews_revision_text_fts ON interviews_transcriptrevision
  USING gin (to_tsvector('simple'::regconfig, COALESCE(text, ''::text)));
"""


class Migration(migrations.Migration):
    dependencies = [("interviews", "0004_import_jobs_uploads_and_pseudonyms")]

    operations = [run_sql_on_postgresql(SEARCH_DOCUMENT, DROP_SEARCH_DOCUMENT)]
