"""Guards that only PostgreSQL can give: composite dyad keys and an append-only audit log."""

from django.db import migrations

from dyads.postgres import run_sql_on_postgresql

DYAD_KEYS = """
ALTER TABLE dyads_dyad
  ADD CONSTRAINT dyad_therapist_is_a_therapist_of_the_study
  FOREIGN KEY (therapist_id, study_id, therapist_role)
  REFERENCES dyads_participant (id, study_id, role) DEFERRABLE INITIALLY DEFERRED,
  ADD CONSTRAINT dyad_client_is_a_client_of_the_study
  FOREIGN KEY (client_id, study_id, client_role)
  REFERENCES dyads_participant (id, study_id, role) DEFERRABLE INITIALLY DEFERRED;
"""
DROP_DYAD_KEYS = """
ALTER TABLE dyads_dyad
  DROP CONSTRAINT dyad_therapist_is_a_therapist_of_the_study,
  DROP CONSTRAINT dyad_client_is_a_client_of_the_study;
"""

AUDIT_APPEND_ONLY = """
CREATE FUNCTION duet_refuse_audit_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % on dyads_auditevent is refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER auditevent_append_only
  BEFORE UPDATE OR DELETE ON dyads_auditevent
  FOR EACH ROW EXECUTE FUNCTION duet_refuse_audit_change();
"""
DROP_AUDIT_APPEND_ONLY = """
DROP TRIGGER auditevent_append_only ON dyads_auditevent;
DROP FUNCTION duet_refuse_audit_change();
"""


class Migration(migrations.Migration):
    dependencies = [("dyads", "0001_initial")]

    operations = [
        run_sql_on_postgresql(DYAD_KEYS, DROP_DYAD_KEYS),
        run_sql_on_postgresql(AUDIT_APPEND_ONLY, DROP_AUDIT_APPEND_ONLY),
    ]
