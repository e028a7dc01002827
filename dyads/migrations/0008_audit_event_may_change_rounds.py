"""Store on each audit event whether its action may change a closed coding round.

The partial index that finds a study's last such event was built on a list of the
other actions kept in dyads.models. The apps now register their actions with the
kernel (dyads.registry) and audit_record stores the answer on the event, so the
index is on that column. Events already written are flagged from the list the old
index used, frozen here; the hash does not cover the column, so chains still verify.
"""

from django.db import migrations, models

# The actions of dyads.models.ROUND_NEUTRAL_ACTIONS at migration 0007.
ROUND_NEUTRAL_ACTIONS = (
    "coding.create",
    "coding.delete",
    "coding.recode",
    "memo.create",
    "memo.update",
    "memo.delete",
    "memo.import",
    "journal.create",
    "journal.update",
    "journal.delete",
    "meeting.create",
    "meeting.update",
    "meeting.add_passage",
    "meeting.remove_passage",
    "meeting.agenda_add",
    "decision.record",
    "decision.propose",
    "decision.accept",
    "decision.reject",
    "theme.create",
    "theme.update",
    "theme.retire",
    "quote.add",
    "quote.remove",
    "convergence.mark",
    "convergence.clear",
    "coverage.mark",
    "coverage.unmark",
    "report_settings.update",
    "audit_comment.create",
    "audit_finding.record",
    "audit_finding.reply",
    "audit_round.draw",
    "audit_round.sign_off",
    "invitation.create",
    "invitation.accept",
    "invitation.revoke",
    "membership.add",
    "membership.change_role",
    "membership.remove",
    "recruitment.record",
)
APPEND_ONLY_TRIGGER = "auditevent_append_only"


def flag_round_neutral_events(apps, schema_editor):
    """Set the flag of the existing events; the append-only trigger is off meanwhile."""
    AuditEvent = apps.get_model("dyads", "AuditEvent")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE dyads_auditevent DISABLE TRIGGER {APPEND_ONLY_TRIGGER}")
    AuditEvent.objects.filter(action__in=ROUND_NEUTRAL_ACTIONS).update(may_change_rounds=False)
    if postgres:
        schema_editor.execute(f"ALTER TABLE dyads_auditevent ENABLE TRIGGER {APPEND_ONLY_TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [("dyads", "0007_audit_index_may_change_rounds")]

    operations = [
        migrations.RemoveIndex(model_name="auditevent", name="audit_may_change_rounds"),
        migrations.AddField(
            model_name="auditevent",
            name="may_change_rounds",
            field=models.BooleanField(db_default=True, default=True),
        ),
        migrations.RunPython(flag_round_neutral_events, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("may_change_rounds", True)),
                fields=["study", "sequence"],
                name="audit_may_change_rounds",
            ),
        ),
    ]
