"""Appending to a study's hash-chained audit log, and what each link's hash covers.

Every service write calls `audit_record` inside its own transaction. The chain
head row is locked while an event is appended, so concurrent writers of one
study are serialised only for the instant of the append.
"""

import contextvars
import datetime as dt
import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from json.encoder import encode_basestring as _string
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from dyads.models import AuditChainHead, AuditEvent, Study
from dyads.registry import may_change_rounds

current_request_id: contextvars.ContextVar[uuid.UUID | None] = contextvars.ContextVar(
    "current_request_id", default=None
)
# What time it is for the audit log. Only the demo seed sets it (`audit_clock`), so that a
# study made in a second carries the dates of its months of work; unset, it is now.
_recorded_at: contextvars.ContextVar[Callable[[], dt.datetime] | None] = contextvars.ContextVar(
    "audit_recorded_at", default=None
)


@contextmanager
def audit_clock(clock: Callable[[], dt.datetime]) -> Iterator[None]:
    """Within the block, events are dated by `clock()` instead of now (seeding only)."""
    token = _recorded_at.set(clock)
    try:
        yield
    finally:
        _recorded_at.reset(token)


def _now() -> dt.datetime:
    clock = _recorded_at.get()
    return clock() if clock is not None else timezone.now()


def _json_default(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value.total_seconds())
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"Cannot serialise {type(value).__name__} for the audit log")


def as_json_value(value: Any) -> Any:
    """Turn a value into what a JSONField gives back, so hashing is stable."""
    return json.loads(json.dumps(value, default=_json_default))


# What an event's hash covers, in this order: canonical_bytes takes them positionally.
# Not the payload (old and new value, reason) itself but its digest, so that the text
# can be scrubbed later (erasure, redaction) and the chain still verifies. Not
# `may_change_rounds`: it is what the registry says of the action, not the event.
HASHED_FIELDS = (
    "study_id",
    "sequence",
    "actor_id",
    "created_at",
    "action",
    "object_type",
    "object_id",
    "payload_digest",
    "request_id",
)
GENESIS_HASH = "0" * 64


def canonical_text(
    study_id: int,
    sequence: int,
    actor_id: int | None,
    created_at: str,
    action: str,
    object_type: str,
    object_id: str,
    payload_digest: str,
    request_id: str | None,
) -> str:
    """The definition of what an event's hash covers, from plain values.

    The event as sorted-key, compact JSON (what ``json.dumps(..., sort_keys=True,
    separators=(",", ":"), ensure_ascii=False)`` writes for it), written out key by key
    so that verification can call it on the text columns it reads: `created_at` is the
    UTC time as ``isoformat(timespec="microseconds")`` (digits and punctuation, which
    JSON writes as they are), `payload_digest` is the event's `payload_text` digest
    (hex) and `request_id` is the UUID's text or None.
    """
    return (
        f'{{"action":{_string(action)},'
        f'"actor":{"null" if actor_id is None else actor_id},'
        f'"created_at":"{created_at}",'
        f'"object_id":{_string(object_id)},'
        f'"object_type":{_string(object_type)},'
        f'"payload":"{payload_digest}",'
        f'"request_id":{"null" if request_id is None else _string(request_id)},'
        f'"sequence":{sequence},"study":{study_id}}}'
    )


def payload_text(old_json: str, new_json: str, reason: str, salt: str) -> str:
    """What an event's payload digest covers: sorted-key, compact JSON of its old and new
    values (already as `value_json` writes them), its reason and a random salt.

    The salt makes the digest hiding: without it, anyone could confirm a guess of
    scrubbed text (a name) by hashing the scrubbed payload with the guess put back.
    """
    return (
        f'{{"new_value":{new_json},"old_value":{old_json},'
        f'"reason":{_string(reason)},"salt":{_string(salt)}}}'
    )


def payload_digest(old_json: str, new_json: str, reason: str, salt: str) -> str:
    return hashlib.sha256(payload_text(old_json, new_json, reason, salt).encode()).hexdigest()


def value_json(value: Any) -> str:
    """An old or new value as the canonical form writes it: sorted keys, compact, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_bytes(
    study_id: int,
    sequence: int,
    actor_id: int | None,
    created_at: dt.datetime,
    action: str,
    object_type: str,
    object_id: str,
    payload_digest: str,
    request_id: uuid.UUID | None,
) -> bytes:
    """The canonical form (`canonical_text`) of an event given as Python values, in UTF-8."""
    return canonical_text(
        study_id,
        sequence,
        actor_id,
        created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        action,
        object_type,
        object_id,
        payload_digest,
        str(request_id) if request_id else None,
    ).encode()


def canonical_form(event: AuditEvent) -> bytes:
    return canonical_bytes(*(getattr(event, name) for name in HASHED_FIELDS))


def audit_key() -> bytes:
    """The chain's link key: a setting from the environment or a file, never a row."""
    if not settings.AUDIT_HMAC_KEY:
        raise ImproperlyConfigured("AUDIT_HMAC_KEY is not set: the audit chain needs its key.")
    return settings.AUDIT_HMAC_KEY.encode()


def link_hash(previous_hash: str, canonical: bytes, key: bytes | None = None) -> str:
    """An event's hash: HMAC-SHA256, under the audit key (or `key`), of its predecessor's
    hash followed by its canonical form. Without the key nobody can recompute a link."""
    return hmac.digest(key or audit_key(), previous_hash.encode() + canonical, "sha256").hex()


def chain_hash(previous_hash: str, event: AuditEvent) -> str:
    return link_hash(previous_hash, canonical_form(event))


def seal_payload(event: AuditEvent) -> None:
    """Give an event a fresh salt and the digest of its payload."""
    event.payload_salt = secrets.token_hex(16)
    event.payload_digest = payload_digest(
        value_json(event.old_value), value_json(event.new_value), event.reason, event.payload_salt
    )


def seal(event: AuditEvent, previous_hash: str) -> str:
    """Give a new event its salt, payload digest, link to `previous_hash` and hash."""
    seal_payload(event)
    event.previous_hash = previous_hash
    event.hash = chain_hash(previous_hash, event)
    return event.hash


def audit_record(
    *,
    study: Study,
    actor,
    action: str,
    target: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    old: Any = None,
    new: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the study's chain. Must run inside the writer's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction")
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or target.pk
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(study=study)
    event = AuditEvent(
        study=study,
        sequence=head.sequence + 1,
        actor=actor if actor is not None and actor.is_authenticated else None,
        created_at=_now(),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        old_value=as_json_value(old),
        new_value=as_json_value(new),
        reason=reason,
        request_id=current_request_id.get(),
        may_change_rounds=may_change_rounds(action),
    )
    seal(event, head.last_hash)
    event.save(force_insert=True)
    head.sequence = event.sequence
    head.last_hash = event.hash
    head.save(update_fields=["sequence", "last_hash"])
    return event
