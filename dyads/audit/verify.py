"""Verifying a study's audit chain: every link, every payload against its digest.

Verifying a long chain is dominated by turning rows into their canonical forms.
The fast path reads plain text columns (no model instances, no datetime or UUID
objects) and hands them to `canonical_text` and `payload_text`, the definitions, with
old and new values re-serialised by orjson instead of json. Whenever a payload's
digest disagrees with the stored one (orjson writes some numbers differently, and
refuses integers beyond 64 bits), the payload is checked again with json's
serialisation, `value_json`: the fast path can only save time, never decide that an
event is broken. Long chains on PostgreSQL are split into segments checked in
parallel processes (each event holds its predecessor's hash, so segments are
independent); the seams are checked here.

A payload that no longer matches its digest is broken unless an `audit.scrub` event
of the chain names the event: scrubbing replaces text on purpose (erasure,
redaction) and leaves the digest, which the chain covers, as it was.
"""

import datetime as dt
import itertools
import json
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import orjson
from django.db import transaction

from dyads.models import AuditChainHead, AuditEvent, Study

from .chain import GENESIS_HASH, canonical_text, link_hash, payload_digest, value_json

SCRUB_ACTION = "audit.scrub"
PARALLEL_FROM = 200_000  # events; below this one process is faster
VERIFY_SQL = """
SELECT id, sequence, actor_id, created_at::text, action, object_type, object_id,
       old_value::text, new_value::text, reason, request_id::text, payload_salt,
       payload_digest, previous_hash, hash
  FROM dyads_auditevent
 WHERE study_id = %s AND sequence BETWEEN %s AND %s
 ORDER BY sequence
"""
_SORTED = orjson.OPT_SORT_KEYS


@dataclass(frozen=True)
class ChainReport:
    events_checked: int
    first_broken: AuditEvent | None
    problem: str = ""
    payloads_scrubbed: int = 0

    @property
    def intact(self) -> bool:
        return self.first_broken is None and not self.problem


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


def _row_hash(study_id: int, row: tuple, key: bytes | None) -> str:
    """The row's hash by `canonical_text`, from the text columns VERIFY_SQL reads."""
    _, sequence, actor, created, action, object_type, object_id = row[:7]
    canonical = canonical_text(
        study_id,
        sequence,
        actor,
        _iso_utc(created),
        action,
        object_type,
        object_id,
        row[12],
        row[10],
    )
    return link_hash(row[13], canonical.encode(), key)


def _row_digest(row: tuple, values: Callable[[str], str]) -> str:
    old, new, reason, _, salt = row[7:12]
    return payload_digest(
        "null" if old is None else values(old),
        "null" if new is None else values(new),
        reason,
        salt,
    )


def _payload_matches(row: tuple) -> bool:
    try:
        if _row_digest(row, _orjson_value) == row[12]:
            return True
    except orjson.JSONDecodeError:  # e.g. an integer beyond 64 bits
        pass
    return _row_digest(row, _json_value) == row[12]


def _scrubbed_sequences(row: tuple) -> list[int]:
    """The events an `audit.scrub` event says it scrubbed."""
    if row[4] != SCRUB_ACTION or row[8] is None:
        return []
    recorded = json.loads(row[8])
    return recorded.get("sequences", []) if isinstance(recorded, dict) else []


@dataclass(frozen=True)
class _Segment:
    """What one process found in a stretch of the chain."""

    count: int = 0
    first: tuple[int, int, str] | None = None  # (id, sequence, previous_hash)
    last: tuple[int, str] | None = None  # (sequence, hash)
    broken: tuple[int, str] | None = None  # (id, problem)
    payload_mismatches: tuple[tuple[int, int], ...] = ()  # (sequence, id)
    scrubbed: frozenset[int] = field(default_factory=frozenset)


def _check_rows(study_id: int, rows, key: bytes | None) -> _Segment:
    """Check the links, hashes and payloads inside consecutive rows; the seams are the
    caller's, and so is judging payload mismatches (a later scrub may explain them)."""
    count, first, expected, previous = 0, None, 0, ""
    mismatches, scrubbed = [], set()
    for row in rows:
        event_id, sequence, previous_hash = row[0], row[1], row[13]
        problem = ""
        if first is None:
            first = (event_id, sequence, previous_hash)
        elif sequence != expected:
            problem = f"sequence {expected} is missing"
        elif previous_hash != previous:
            problem = "does not point to the previous event's hash"
        if not problem and _row_hash(study_id, row, key) != row[14]:
            problem = "content does not match its hash"
        if problem:
            return _Segment(
                count, first, None, (event_id, problem), tuple(mismatches), frozenset(scrubbed)
            )
        if not _payload_matches(row):
            mismatches.append((sequence, event_id))
        scrubbed.update(_scrubbed_sequences(row))
        count += 1
        expected, previous = sequence + 1, row[14]
    last = None if first is None else (expected - 1, previous)
    return _Segment(count, first, last, None, tuple(mismatches), frozenset(scrubbed))


def _check_range_in_process(args: tuple[dict, int, int, int, bytes | None]) -> _Segment:
    """A worker process: its own connection, one range of sequence numbers."""
    import psycopg

    params, study_id, low, high, key = args
    with psycopg.connect(**params) as connection, connection.transaction():
        connection.execute("SET TIME ZONE 'UTC'")
        with connection.cursor(name="audit_verify") as cursor:
            cursor.itersize = 10_000
            cursor.execute(VERIFY_SQL, [study_id, low, high])
            return _check_rows(study_id, cursor, key)


def _check_range_here(study_id: int, low: int, high: int, key: bytes | None) -> _Segment:
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        events = AuditEvent.objects.filter(study_id=study_id, sequence__range=(low, high))
        rows = (_row(event) for event in events.order_by("sequence"))
        return _check_rows(study_id, rows, key)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL TIME ZONE 'UTC'")
        with connection.connection.cursor(name="audit_verify") as cursor:
            cursor.itersize = 10_000
            cursor.execute(VERIFY_SQL, [study_id, low, high])
            return _check_rows(study_id, cursor, key)


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
        event.payload_salt,
        event.payload_digest,
        event.previous_hash,
        event.hash,
    )


def _check_segments(study_id: int, last: int, workers: int, key: bytes | None) -> list[_Segment]:
    connection = transaction.get_connection()
    if workers <= 1 or connection.vendor != "postgresql":
        return [_check_range_here(study_id, 1, last, key)]
    bounds = [last * n // workers for n in range(workers + 1)]
    params = {
        name: value
        for name, value in connection.get_connection_params().items()
        if name in {"dbname", "user", "password", "host", "port", "sslmode"}
    }
    jobs = [(params, study_id, low + 1, high, key) for low, high in itertools.pairwise(bounds)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_check_range_in_process, jobs))


def audit_verify(
    *, study: Study, workers: int | None = None, key: bytes | None = None
) -> ChainReport:
    """Recompute the chain from the first event and name the first broken link.

    The chain head is read first and the log is checked up to it, so events that
    were deleted from the end (the head still counts them) are reported too;
    events appended while the check runs are left for the next check. `workers`
    processes share a long chain (default: one per CPU from PARALLEL_FROM events).
    Links are checked under `key` (default: the configured audit key).
    """
    head = AuditChainHead.objects.filter(study=study).first()
    if head is None:
        orphan = AuditEvent.objects.filter(study=study).order_by("sequence").first()
        if orphan is not None:
            return ChainReport(0, orphan, "the study's chain head is missing")
        return ChainReport(0, None)
    if workers is None:
        workers = (os.cpu_count() or 1) if head.sequence >= PARALLEL_FROM else 1
    segments = _check_segments(study.pk, head.sequence, workers, key)
    links = _links_report(study, head, segments)
    scrubbed = frozenset().union(*(segment.scrubbed for segment in segments))
    mismatches = sorted(
        itertools.chain.from_iterable(segment.payload_mismatches for segment in segments)
    )
    unexplained = [(sequence, pk) for sequence, pk in mismatches if sequence not in scrubbed]
    if unexplained and (links.intact or unexplained[0][0] <= links.events_checked):
        sequence, event_id = unexplained[0]
        return _broken(
            sequence - 1,
            event_id,
            "its payload (old value, new value, reason) does not match its digest, "
            "and no scrub of the chain names it",
        )
    return ChainReport(
        links.events_checked, links.first_broken, links.problem, len(mismatches) - len(unexplained)
    )


def _links_report(study: Study, head: AuditChainHead, segments: list[_Segment]) -> ChainReport:
    """Join the segments at their seams and to the chain head."""
    previous_hash, expected, checked = GENESIS_HASH, 1, 0
    for segment in segments:
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
