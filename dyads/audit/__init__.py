"""A study's append-only, hash-chained audit log.

- `chain`: what each link's hash covers and `audit_record`, which every service
  write calls inside its transaction;
- `verify`: `audit_verify`, which recomputes a chain and names its first broken link;
- `scrub`: `audit_payloads_scrub`, which removes text from payloads (erasure,
  redaction) while the chain still verifies;
- `anchor`: re-anchoring a chain under a new way of hashing, with a recorded event.
"""

from .chain import (
    GENESIS_HASH,
    HASHED_FIELDS,
    as_json_value,
    audit_clock,
    audit_record,
    canonical_bytes,
    canonical_form,
    canonical_text,
    chain_hash,
    current_request_id,
    link_hash,
    payload_digest,
    payload_text,
    seal,
    value_json,
)
from .scrub import audit_payloads_scrub
from .verify import ChainReport, audit_verify

__all__ = [
    "GENESIS_HASH",
    "HASHED_FIELDS",
    "ChainReport",
    "as_json_value",
    "audit_clock",
    "audit_payloads_scrub",
    "audit_record",
    "audit_verify",
    "canonical_bytes",
    "canonical_form",
    "canonical_text",
    "chain_hash",
    "current_request_id",
    "link_hash",
    "payload_digest",
    "payload_text",
    "seal",
    "value_json",
]
