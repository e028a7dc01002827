"""Appending to and verifying a study's hash-chained audit log.

Every service write calls `audit_record` inside its own transaction. The chain
head row is locked while an event is appended, so concurrent writers of one
study are serialised only for the instant of the append.
"""

import contextvars
import datetime as dt
import hashlib
import itertools
import json
import multiprocessing
import os
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from json.encoder import encode_basestring as _string
from typing import Any

import orjson
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from .models import AuditChainHead, AuditEvent, Study
from .registry import may_change_rounds

_SORTED = orjson.OPT_SORT_KEYS

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


# What an event's hash covers, in this order: canonical_bytes takes them positionally.
# Not `may_change_rounds`: it is what the registry says of the action, not the event.
HASHED_FIELDS = (
    "study_id",
    "sequence",
    "actor_id",
    "created_at",
    "action",
    "object_type",
    "object_id",
    "old_value",
    "new_value",
    "reason",
    "request_id",
)


def canonical_text(
    study_id: int,
    sequence: int,
    actor_id: int | None,
    created_at: str,
    action: str,
    object_type: str,
    object_id: str,
    old_json: str,
    new_json: str,
    reason: str,
    request_id: str | None,
) -> str:
    """The definition of what an event's hash covers, from plain values.

    The event as sorted-key, compact JSON (what ``json.dumps(..., sort_keys=True,
    separators=(",", ":"), ensure_ascii=False)`` writes for it), written out key by key
    so that verification can call it on the text columns it reads: `created_at` is the
    UTC time as ``isoformat(timespec="microseconds")`` (digits and punctuation, which
    JSON writes as they are), `old_json` and `new_json` are the values already in the
    same compact, sorted-key JSON (`value_json`), and `request_id` is the UUID's text
    or None.
    """
    return (
        f'{{"action":{_string(action)},'
        f'"actor":{"null" if actor_id is None else actor_id},'
        f'"created_at":"{created_at}",'
        f'"new_value":{new_json},"object_id":{_string(object_id)},'
        f'"object_type":{_string(object_type)},"old_value":{old_json},'
        f'"reason":{_string(reason)},'
        f'"request_id":{"null" if request_id is None else _string(request_id)},'
        f'"sequence":{sequence},"study":{study_id}}}'
    )


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
    old_value: Any,
    new_value: Any,
    reason: str,
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
        value_json(old_value),
        value_json(new_value),
        reason,
        str(request_id) if request_id else None,
    ).encode()


def canonical_form(event: AuditEvent) -> bytes:
    return canonical_bytes(*(getattr(event, name) for name in HASHED_FIELDS))


def link_hash(previous_hash: str, canonical: bytes) -> str:
    """An event's hash: SHA-256 of its predecessor's hash followed by its canonical form."""
    return hashlib.sha256(previous_hash.encode() + canonical).hexdigest()


def chain_hash(previous_hash: str, event: AuditEvent) -> str:
    return link_hash(previous_hash, canonical_form(event))


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
        may_change_rounds=may_change_rounds(action),
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


# Verification ------------------------------------------------------------------------------
#
# Verifying a long chain is dominated by turning rows into their canonical form.
# The fast path reads plain text columns (no model instances, no datetime or UUID
# objects) and hands them to `canonical_text`, the definition, with old and new values
# re-serialised by orjson instead of json. Whenever its hash disagrees with the stored
# one (orjson writes some numbers differently, and refuses integers beyond 64 bits),
# the event is checked again with json's serialisation, `value_json`: the fast path
# can only save time, never decide that an event is broken. Long chains on
# PostgreSQL are split into segments checked in parallel processes (each event holds
# its predecessor's hash, so segments are independent); the seams are checked here.

PARALLEL_FROM = 200_000  # events; below this one process is faster
VERIFY_SQL = """
SELECT id, sequence, actor_id, created_at::text, action, object_type, object_id,
       old_value::text, new_value::text, reason, request_id::text, previous_hash, hash
  FROM dyads_auditevent
 WHERE study_id = %s AND sequence BETWEEN %s AND %s
 ORDER BY sequence
"""


def _iso_utc(text: str) -> str:
    """PostgreSQL's '2026-01-05 08:00:07.25+00' (session in UTC) as isoformat gives it."""
    seconds, _, fraction = text[:-3].partition(".")
    return f"{seconds[:10]}T{seconds[11:19]}.{fraction:0<6}+00:00"


def _orjson_value(text: str) -> str:
    """A value column as `value_json` writes it, by orjson: fast, but not always the same."""
    return orjson.dumps(orjson.loads(text), option=_SORTED).decode()


def _json_value(text: str) -> str:
    """A value column as `value_json` writes it, by json itself."""
    return value_json(json.loads(text))


def _row_hash(study_id: int, row: tuple, values: Callable[[str], str]) -> str:
    """The row's hash by `canonical_text`, from the text columns VERIFY_SQL reads, old and
    new values re-serialised by `values`."""
    _, sequence, actor, created, action, object_type, object_id, old, new, reason, request = row[
        :11
    ]
    canonical = canonical_text(
        study_id,
        sequence,
        actor,
        _iso_utc(created),
        action,
        object_type,
        object_id,
        "null" if old is None else values(old),
        "null" if new is None else values(new),
        reason,
        request,
    )
    return link_hash(row[11], canonical.encode())


@dataclass(frozen=True)
class _Segment:
    """What one process found in a stretch of the chain."""

    count: int = 0
    first: tuple[int, int, str] | None = None  # (id, sequence, previous_hash)
    last: tuple[int, str] | None = None  # (sequence, hash)
    broken: tuple[int, str] | None = None  # (id, problem)


def _hash_matches(study_id: int, row: tuple) -> bool:
    try:
        if _row_hash(study_id, row, _orjson_value) == row[12]:
            return True
    except orjson.JSONDecodeError:  # e.g. an integer beyond 64 bits
        pass
    return _row_hash(study_id, row, _json_value) == row[12]


def _check_rows(study_id: int, rows) -> _Segment:
    """Check the links and hashes inside consecutive rows; the seams are the caller's."""
    count, first, expected, previous = 0, None, 0, ""
    for row in rows:
        event_id, sequence, previous_hash = row[0], row[1], row[11]
        problem = ""
        if first is None:
            first = (event_id, sequence, previous_hash)
        elif sequence != expected:
            problem = f"sequence {expected} is missing"
        elif previous_hash != previous:
            problem = "does not point to the previous event's hash"
        if not problem and not _hash_matches(study_id, row):
            problem = "content does not match its hash"
        if problem:
            return _Segment(count, first, None, (event_id, problem))
        count += 1
        expected, previous = sequence + 1, row[12]
    return _Segment(count, first, None if first is None else (expected - 1, previous))


def _check_range_in_process(args: tuple[dict, int, int, int]) -> _Segment:
    """A worker process: its own connection, one range of sequence numbers."""
    import psycopg

    params, study_id, low, high = args
    with psycopg.connect(**params) as connection, connection.transaction():
        connection.execute("SET TIME ZONE 'UTC'")
        with connection.cursor(name="audit_verify") as cursor:
            cursor.itersize = 10_000
            cursor.execute(VERIFY_SQL, [study_id, low, high])
            return _check_rows(study_id, cursor)


def _check_range_here(study_id: int, low: int, high: int) -> _Segment:
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        events = AuditEvent.objects.filter(study_id=study_id, sequence__range=(low, high))
        return _check_rows(study_id, (_row(event) for event in events.order_by("sequence")))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL TIME ZONE 'UTC'")
        with connection.connection.cursor(name="audit_verify") as cursor:
            cursor.itersize = 10_000
            cursor.execute(VERIFY_SQL, [study_id, low, high])
            return _check_rows(study_id, cursor)


def _row(event: AuditEvent) -> tuple:
    """An event as the text columns VERIFY_SQL reads (for databases other than PostgreSQL)."""
    created = event.created_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00")
    return (
        event.pk,
        event.sequence,
        event.actor_id,
        created,
        event.action,
        event.object_type,
        event.object_id,
        None if event.old_value is None else json.dumps(event.old_value),
        None if event.new_value is None else json.dumps(event.new_value),
        event.reason,
        None if event.request_id is None else str(event.request_id),
        event.previous_hash,
        event.hash,
    )


def _check_segments(study_id: int, last: int, workers: int) -> list[_Segment]:
    connection = transaction.get_connection()
    if workers <= 1 or connection.vendor != "postgresql":
        return [_check_range_here(study_id, 1, last)]
    bounds = [last * n // workers for n in range(workers + 1)]
    params = {
        key: value
        for key, value in connection.get_connection_params().items()
        if key in {"dbname", "user", "password", "host", "port", "sslmode"}
    }
    jobs = [(params, study_id, low + 1, high) for low, high in itertools.pairwise(bounds)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_check_range_in_process, jobs))


def audit_verify(*, study: Study, workers: int | None = None) -> ChainReport:
    """Recompute the chain from the first event and name the first broken link.

    The chain head is read first and the log is checked up to it, so events that
    were deleted from the end (the head still counts them) are reported too;
    events appended while the check runs are left for the next check. `workers`
    processes share a long chain (default: one per CPU from PARALLEL_FROM events).
    """
    head = AuditChainHead.objects.filter(study=study).first()
    if head is None:
        orphan = AuditEvent.objects.filter(study=study).order_by("sequence").first()
        if orphan is not None:
            return ChainReport(0, orphan, "the study's chain head is missing")
        return ChainReport(0, None)
    if workers is None:
        workers = (os.cpu_count() or 1) if head.sequence >= PARALLEL_FROM else 1
    previous_hash, expected, checked = "0" * 64, 1, 0
    for segment in _check_segments(study.pk, head.sequence, workers):
        if segment.first is not None:
            first_id, first_sequence, first_previous = segment.first
            if first_sequence != expected:
                return _broken(checked, first_id, f"sequence {expected} is missing")
            if first_previous != previous_hash:
                return _broken(checked, first_id, "does not point to the previous event's hash")
        if segment.broken is not None:
            return _broken(checked + segment.count, *segment.broken)
        if segment.last is not None:
            checked += segment.count
            expected, previous_hash = segment.last[0] + 1, segment.last[1]
    if checked < head.sequence:
        return ChainReport(
            checked,
            None,
            f"events #{checked + 1} to #{head.sequence} are missing from the end "
            f"(the chain head is at #{head.sequence})",
        )
    if previous_hash != head.last_hash:
        last = AuditEvent.objects.get(study=study, sequence=head.sequence)
        return ChainReport(checked, last, "does not match the hash of the chain head")
    return ChainReport(checked, None)


def _broken(checked: int, event_id: int, problem: str) -> ChainReport:
    return ChainReport(checked, AuditEvent.objects.get(pk=event_id), problem)
