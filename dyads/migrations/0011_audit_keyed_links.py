"""Each link of the audit chain becomes HMAC-SHA256 under AUDIT_HMAC_KEY, a key the
database does not hold, so that its owner cannot recompute the chain.

Existing chains are re-anchored: checked with the plain SHA-256 links of 0009 (frozen
here), every link recomputed under the key, and an `audit.rekey` event records the
old head.
"""

import hashlib

from django.db import migrations

from dyads.audit.anchor import chain_reanchor
from dyads.audit.chain import audit_key, canonical_form, link_hash


def sha256_hash(previous_hash: str, event) -> str:
    """The link of 0009: SHA-256 over the previous hash and the canonical form."""
    return hashlib.sha256(previous_hash.encode() + canonical_form(event)).hexdigest()


def reanchor_under_the_key(apps, schema_editor):
    AuditEvent = apps.get_model("dyads", "AuditEvent")
    AuditChainHead = apps.get_model("dyads", "AuditChainHead")
    key = audit_key()
    for study_id in AuditChainHead.objects.values_list("study_id", flat=True):
        chain_reanchor(
            event_model=AuditEvent,
            head_model=AuditChainHead,
            study_id=study_id,
            old_hash=sha256_hash,
            new_link=lambda previous, canonical: link_hash(previous, canonical, key),
            scheme="payload digests, HMAC-SHA256 links under AUDIT_HMAC_KEY",
            using=schema_editor.connection.alias,
        )


class Migration(migrations.Migration):
    dependencies = [("dyads", "0010_audit_refuses_truncate")]

    operations = [migrations.RunPython(reanchor_under_the_key, migrations.RunPython.noop)]
