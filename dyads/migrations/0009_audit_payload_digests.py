"""The chain covers a salted digest of each event's payload instead of its text.

Old and new values and the reason can then be scrubbed (erasure, redaction) while the
chain still verifies. Existing chains are re-anchored: each is checked with the
canonical form it was written with (frozen here), every event gets a salt and payload
digest and its new hash, and an `audit.rekey` event records the old head. The
append-only trigger now lets a scrub (`duet.audit_scrub` on, transaction-local)
update the payload columns, and nothing else.
"""

import datetime as dt
import hashlib
import json
from json.encoder import encode_basestring as _string

from django.db import migrations, models

from dyads.audit.anchor import chain_reanchor
from dyads.postgres import run_sql_on_postgresql


def _legacy_value(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def legacy_hash(previous_hash: str, event) -> str:
    """The hash before this migration: SHA-256 over the previous hash and the event's
    sorted-key compact JSON, payload text included."""
    request_id = str(event.request_id) if event.request_id else None
    created_at = event.created_at.astimezone(dt.UTC)
    canonical = (
        f'{{"action":{_string(event.action)},'
        f'"actor":{"null" if event.actor_id is None else event.actor_id},'
        f'"created_at":"{created_at.isoformat(timespec="microseconds")}",'
        f'"new_value":{_legacy_value(event.new_value)},"object_id":{_string(event.object_id)},'
        f'"object_type":{_string(event.object_type)},"old_value":{_legacy_value(event.old_value)},'
        f'"reason":{_string(event.reason)},'
        f'"request_id":{"null" if request_id is None else _string(request_id)},'
        f'"sequence":{event.sequence},"study":{event.study_id}}}'
    )
    return hashlib.sha256(previous_hash.encode() + canonical.encode()).hexdigest()


def sha256_link(previous_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(previous_hash.encode() + canonical).hexdigest()


def reanchor_with_payload_digests(apps, schema_editor):
    AuditEvent = apps.get_model("dyads", "AuditEvent")
    AuditChainHead = apps.get_model("dyads", "AuditChainHead")
    for study_id in AuditChainHead.objects.values_list("study_id", flat=True):
        chain_reanchor(
            event_model=AuditEvent,
            head_model=AuditChainHead,
            study_id=study_id,
            old_hash=legacy_hash,
            new_link=sha256_link,
            scheme="payload digests, SHA-256 links",
            using=schema_editor.connection.alias,
        )


SCRUB_PASSES = """
CREATE OR REPLACE FUNCTION duet_refuse_audit_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('duet.audit_scrub', true) = 'on'
     AND to_jsonb(NEW) - '{old_value,new_value,reason,payload_salt}'::text[]
         = to_jsonb(OLD) - '{old_value,new_value,reason,payload_salt}'::text[] THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only: % on dyads_auditevent is refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
NOTHING_PASSES = """
CREATE OR REPLACE FUNCTION duet_refuse_audit_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % on dyads_auditevent is refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("dyads", "0008_audit_event_may_change_rounds")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="payload_salt",
            field=models.CharField(blank=True, db_default="", max_length=32),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="payload_digest",
            field=models.CharField(db_default="", max_length=64),
        ),
        migrations.RunPython(reanchor_with_payload_digests, migrations.RunPython.noop),
        run_sql_on_postgresql(SCRUB_PASSES, NOTHING_PASSES),
    ]
