"""On PostgreSQL the database refuses any change to a revision's text."""

from django.db import migrations

from dyads.postgres import run_sql_on_postgresql

IMMUTABLE_TEXT = """
CREATE FUNCTION duet_refuse_revision_text_change() RETURNS trigger AS $$
BEGIN
  IF NEW.text IS DISTINCT FROM OLD.text THEN
    RAISE EXCEPTION 'transcript revision % is immutable; make a new revision', OLD.id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER transcriptrevision_text_immutable
  BEFORE UPDATE ON interviews_transcriptrevision
  FOR EACH ROW EXECUTE FUNCTION duet_refuse_revision_text_change();
"""
DROP_IMMUTABLE_TEXT = """
DROP TRIGGER transcriptrevision_text_immutable ON interviews_transcriptrevision;
DROP FUNCTION duet_refuse_revision_text_change();
"""


class Migration(migrations.Migration):
    dependencies = [("interviews", "0001_initial"), ("dyads", "0002_postgres_guards")]

    operations = [
        run_sql_on_postgresql(IMMUTABLE_TEXT, DROP_IMMUTABLE_TEXT),
    ]
