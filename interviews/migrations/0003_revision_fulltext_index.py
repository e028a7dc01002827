"""Indexes for retrieval: full-text search over revisions, and the speaker turn at an offset.

The GIN index is PostgreSQL's (0005 replaces it with a stored tsvector
column and an index on that). The turn index lets the excerpt query find the turn
that encloses a coding with one index probe (latest turn starting at or before
it). Both live outside the model state: neither changes how Django sees the
tables.
"""

from django.db import migrations

from dyads.postgres import run_sql_on_postgresql

FULLTEXT = """
CREATE INDEX interviews_revision_text_fts ON interviews_transcriptrevision
  USING gin (to_tsvector('simple'::regconfig, COALESCE(text, ''::text)));
"""
DROP_FULLTEXT = "DROP INDEX interviews_revision_text_fts;"

TURN_AT_OFFSET = (
    "CREATE INDEX interviews_turn_revision_start ON interviews_speakerturn (revision_id, start);"
)
DROP_TURN_AT_OFFSET = "DROP INDEX interviews_turn_revision_start;"


class Migration(migrations.Migration):
    dependencies = [("interviews", "0002_immutable_revisions")]

    operations = [
        run_sql_on_postgresql(FULLTEXT, DROP_FULLTEXT),
        migrations.RunSQL(TURN_AT_OFFSET, DROP_TURN_AT_OFFSET),
    ]
