"""A revision's text changes on one path only: a redaction, audited by its service.

The trigger of 0002 refuses any UPDATE of a revision's text. A redaction
(analysis.exchange.services.redaction) names the revision it rewrites in the
transaction-local setting `duet.redacting_revision` just before its UPDATE and
clears it just after; the trigger lets that one revision's text change and refuses
every other change as before. `SET LOCAL` ends with the transaction, so a
forgotten setting cannot outlive the redaction.
"""

from django.db import migrations

from dyads.postgres import run_sql_on_postgresql

REDACTION_PATH = """
CREATE OR REPLACE FUNCTION duet_refuse_revision_text_change() RETURNS trigger AS $$
BEGIN
  IF NEW.text IS DISTINCT FROM OLD.text
     AND current_setting('duet.redacting_revision', true) IS DISTINCT FROM OLD.id::text THEN
    RAISE EXCEPTION 'transcript revision % is immutable; make a new revision', OLD.id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
IMMUTABLE_ALWAYS = """
CREATE OR REPLACE FUNCTION duet_refuse_revision_text_change() RETURNS trigger AS $$
BEGIN
  IF NEW.text IS DISTINCT FROM OLD.text THEN
    RAISE EXCEPTION 'transcript revision % is immutable; make a new revision', OLD.id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("interviews", "0009_job_queued_at")]

    operations = [run_sql_on_postgresql(REDACTION_PATH, IMMUTABLE_ALWAYS)]
