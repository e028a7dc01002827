"""Signed checkpoints of a study's chain head, which supervisors keep outside Duet.

A checkpoint is an Ed25519 signature over (study id, sequence, head hash, time),
made with a key the database does not hold (AUDIT_SIGNING_KEY). Whoever keeps the
file can later prove that today's chain extends it (`checkpoint_check`, `manage.py
verify_audit --checkpoint FILE`): the event at its sequence still has its hash, and
the chain verifies from there. A rewrite before that sequence, even by someone who
holds the link key, changes that hash and is exposed.

cryptography is imported by the functions that sign or check, not by the web processes
that only show a checkpoint.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from dyads.models import AuditChainHead, AuditCheckpoint, AuditEvent, Study

from .anchor import REKEY_ACTION

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

FORMAT = "duet-audit-checkpoint/1"
SIGNED_FIELDS = ("format", "study", "sequence", "head_hash", "time")


def signing_key() -> Ed25519PrivateKey:
    """AUDIT_SIGNING_KEY: a 32-byte seed in hex, or a PEM private key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    text = settings.AUDIT_SIGNING_KEY
    if not text:
        raise ImproperlyConfigured("AUDIT_SIGNING_KEY is not set: checkpoints cannot be signed.")
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured("AUDIT_SIGNING_KEY must be an Ed25519 key.")
        return key
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(text))


def public_key_hex(key: Ed25519PublicKey | None = None) -> str:
    """The raw public key in hex: what the audit report prints and checkpoints carry."""
    from cryptography.hazmat.primitives import serialization

    key = key or signing_key().public_key()
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def trusted_public_keys() -> set[str]:
    """The configured key's public half and earlier ones (AUDIT_TRUSTED_PUBLIC_KEYS)."""
    return {public_key_hex(), *settings.AUDIT_TRUSTED_PUBLIC_KEYS}


def signed_bytes(statement: dict) -> bytes:
    return json.dumps(
        {name: statement[name] for name in SIGNED_FIELDS}, sort_keys=True, separators=(",", ":")
    ).encode()


def audit_checkpoint_publish(*, study: Study) -> AuditCheckpoint | None:
    """Sign and store a checkpoint of the study's head, unless the latest one already
    has that head (or the study has no events)."""
    with transaction.atomic():
        head = AuditChainHead.objects.filter(study=study).first()
        if head is None or head.sequence == 0:
            return None
        latest = checkpoint_latest(study)
        if latest is not None and latest.sequence == head.sequence:
            return None
        key = signing_key()
        statement = {
            "format": FORMAT,
            "study": study.pk,
            "sequence": head.sequence,
            "head_hash": head.last_hash,
            "time": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
        }
        return AuditCheckpoint.objects.create(
            study=study,
            sequence=head.sequence,
            head_hash=head.last_hash,
            signed_at=dt.datetime.fromisoformat(statement["time"]),
            public_key=public_key_hex(key.public_key()),
            signature=base64.b64encode(key.sign(signed_bytes(statement))).decode(),
        )


def checkpoint_latest(study: Study) -> AuditCheckpoint | None:
    return study.audit_checkpoints.order_by("-sequence", "-pk").first()


def audit_checkpoints_publish() -> int:
    """A checkpoint of every study whose chain moved since its last one; how many."""
    studies = Study.objects.filter(audit_head__sequence__gt=0).order_by("pk")
    return sum(audit_checkpoint_publish(study=study) is not None for study in studies)


def checkpoint_document(checkpoint: AuditCheckpoint) -> str:
    """The checkpoint as the file supervisors download and keep."""
    return json.dumps(
        {
            "format": FORMAT,
            "study": checkpoint.study_id,
            "study_slug": checkpoint.study.slug,
            "sequence": checkpoint.sequence,
            "head_hash": checkpoint.head_hash,
            "time": checkpoint.signed_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
            "public_key": checkpoint.public_key,
            "signature": checkpoint.signature,
        },
        indent=2,
    )


@dataclass(frozen=True)
class CheckpointFinding:
    extends: bool
    message: str


def checkpoint_check(*, study: Study, document: str) -> CheckpointFinding:
    """Whether today's chain of `study` holds the head a checkpoint file signed.

    The caller verifies the chain itself (`audit_verify`); together they prove the chain
    extends the checkpoint.
    """
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        statement = json.loads(document)
        signature = base64.b64decode(statement["signature"], validate=True)
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(statement["public_key"]))
        public.verify(signature, signed_bytes(statement))
    except (ValueError, KeyError, TypeError, InvalidSignature):
        return CheckpointFinding(False, "the checkpoint file is damaged or its signature is false")
    if statement["format"] != FORMAT:
        return CheckpointFinding(False, f"the checkpoint's format is not {FORMAT}")
    if statement["public_key"] not in trusted_public_keys():
        return CheckpointFinding(
            False,
            f"the checkpoint is signed by a key this server does not trust "
            f"({statement['public_key']})",
        )
    if statement["study"] != study.pk:
        return CheckpointFinding(False, "the checkpoint is of another study")
    sequence, signed_hash = statement["sequence"], statement["head_hash"]
    event = AuditEvent.objects.filter(study=study, sequence=sequence).first()
    if event is None:
        return CheckpointFinding(False, f"event #{sequence}, the checkpoint's head, is missing")
    if event.hash == signed_hash:
        return CheckpointFinding(True, f"event #{sequence} has the hash the checkpoint signed")
    return _through_a_rekey(study, sequence, signed_hash)


def _through_a_rekey(study: Study, sequence: int, signed_hash: str) -> CheckpointFinding:
    """A re-anchoring recomputes every hash; its event names the head it started from."""
    rekey = (
        AuditEvent.objects.filter(study=study, action=REKEY_ACTION, sequence__gt=sequence)
        .order_by("sequence")
        .first()
    )
    recorded = rekey.new_value if rekey is not None else {}
    if (recorded.get("previous_sequence"), recorded.get("previous_head")) == (
        sequence,
        signed_hash,
    ):
        return CheckpointFinding(
            True,
            f"the chain was re-anchored at #{rekey.sequence} from the signed head (as the "
            "re-anchoring records, which the holder of the link key vouches for)",
        )
    return CheckpointFinding(
        False,
        f"event #{sequence} no longer has the hash the checkpoint signed ({signed_hash}): "
        "the chain was rewritten at or before it"
        + (
            f", or re-anchored at #{rekey.sequence} after later events" if rekey is not None else ""
        ),
    )
