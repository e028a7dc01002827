"""Appending to and verifying a study's hash-chained audit log.

Every service write calls `audit_record` inside its own transaction. The chain
head row is locked while an event is appended, so concurrent writers of one
study are serialised only for the instant of the append.
"""

import contextvars
import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from .models import AuditChainHead, AuditEvent, Study

current_request_id: contextvars.ContextVar[uuid.UUID | None] = contextvars.ContextVar(
    "current_request_id", default=None
)


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


def canonical_form(event: AuditEvent) -> bytes:
    payload = {
        "study": event.study_id,
        "sequence": event.sequence,
        "actor": event.actor_id,
        "created_at": event.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "old_value": event.old_value,
        "new_value": event.new_value,
        "reason": event.reason,
        "request_id": str(event.request_id) if event.request_id else None,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(previous_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(previous_hash.encode() + canonical_form(event)).hexdigest()


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
        created_at=timezone.now(),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        old_value=as_json_value(old),
        new_value=as_json_value(new),
        reason=reason,
        request_id=current_request_id.get(),
        previous_hash=head.last_hash,
    )
    event.hash = chain_hash(head.last_hash, event)
    event.save(force_insert=True)
    head.sequence = event.sequence
    head.last_hash = event.hash
    head.save(update_fields=["sequence", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    events_checked: int
    first_broken: AuditEvent | None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.first_broken is None and not self.problem


def audit_verify(*, study: Study, batch_size: int = 5000) -> ChainReport:
    """Recompute the chain from the first event and name the first broken link.

    The chain head is read first and the log is checked up to it, so events that
    were deleted from the end (the head still counts them) are reported too;
    events appended while the check runs are left for the next check.
    """
    head = AuditChainHead.objects.filter(study=study).first()
    if head is None:
        orphan = AuditEvent.objects.filter(study=study).order_by("sequence").first()
        if orphan is not None:
            return ChainReport(0, orphan, "the study's chain head is missing")
        return ChainReport(0, None)
    previous_hash = "0" * 64
    expected_sequence = 1
    checked = 0
    last = None
    events = AuditEvent.objects.filter(study=study, sequence__lte=head.sequence)
    for event in events.order_by("sequence").iterator(chunk_size=batch_size):
        if event.sequence != expected_sequence:
            return ChainReport(checked, event, f"sequence {expected_sequence} is missing")
        if event.previous_hash != previous_hash:
            return ChainReport(checked, event, "does not point to the previous event's hash")
        if chain_hash(previous_hash, event) != event.hash:
            return ChainReport(checked, event, "content does not match its hash")
        previous_hash = event.hash
        expected_sequence += 1
        checked += 1
        last = event
    if checked < head.sequence:
        return ChainReport(
            checked,
            None,
            f"events #{checked + 1} to #{head.sequence} are missing from the end "
            f"(the chain head is at #{head.sequence})",
        )
    if previous_hash != head.last_hash:
        return ChainReport(checked, last, "does not match the hash of the chain head")
    return ChainReport(checked, None)
