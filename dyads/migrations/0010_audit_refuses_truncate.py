"""TRUNCATE of the audit log or its chain heads is refused, as UPDATE and DELETE are.

A row trigger does not see TRUNCATE, so a statement trigger refuses it. Only a
transaction or session that turns `duet.audit_truncate` on gets through: Django's
`flush`, which the test suite runs between transactional tests, in a connection that
the test suite sets up so.
"""

from django.db import migrations

from dyads.postgres import run_sql_on_postgresql

REFUSE_TRUNCATE = """
CREATE FUNCTION duet_refuse_audit_truncate() RETURNS trigger AS $$
BEGIN
  IF current_setting('duet.audit_truncate', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only: TRUNCATE on % is refused', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER auditevent_no_truncate
  BEFORE TRUNCATE ON dyads_auditevent
  FOR EACH STATEMENT EXECUTE FUNCTION duet_refuse_audit_truncate();
CREATE TRIGGER auditchainhead_no_truncate
  BEFORE TRUNCATE ON dyads_auditchainhead
  FOR EACH STATEMENT EXECUTE FUNCTION duet_refuse_audit_truncate();
"""
ALLOW_TRUNCATE = """
DROP TRIGGER auditevent_no_truncate ON dyads_auditevent;
DROP TRIGGER auditchainhead_no_truncate ON dyads_auditchainhead;
DROP FUNCTION duet_refuse_audit_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("dyads", "0009_audit_payload_digests")]

    operations = [run_sql_on_postgresql(REFUSE_TRUNCATE, ALLOW_TRUNCATE)]
