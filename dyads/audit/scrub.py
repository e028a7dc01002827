"""Scrubbing text out of audit payloads (erasure, redaction) without breaking the chain.

The chain covers each payload through its salted digest, not its text, so the text
can be replaced while every hash stays as it was. The append-only trigger lets an
UPDATE through only while the transaction-local setting `duet.audit_scrub` is on,
and then only of the payload columns; the scrubbed events lose their salt, so their
digest can no longer confirm a guess of what was there. The `audit.scrub` event
records how many events changed and which (their sequence numbers), never the text:
verification accepts a payload that does not match its digest only for those.
"""

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from dyads.exceptions import DomainError
from dyads.models import AuditEvent, Study
from dyads.text import scrub_strings

from .chain import audit_record, value_json
from .verify import SCRUB_ACTION

PAYLOAD_COLUMNS = ["old_value", "new_value", "reason", "payload_salt"]


def audit_payloads_scrub(
    *, study: Study, texts: Iterable[str], replacement: str = "[erased]", actor=None
) -> int:
    """Replace every occurrence of each of `texts` (case-sensitive) in the JSON strings
    and reasons of the study's audit events by `replacement`; return how many events
    changed. Runs in the caller's transaction if there is one."""
    wanted = sorted(set(texts), key=len, reverse=True)  # the longest of overlapping texts
    if "" in wanted:
        raise DomainError({"texts": "A text to scrub from the audit trail cannot be empty."})
    if not wanted:
        return 0
    pattern = re.compile("|".join(map(re.escape, wanted)))
    with transaction.atomic():
        changed = [
            event
            for event in _candidates(study, wanted)
            if _scrub_event(event, pattern, replacement)
        ]
        if not changed:
            return 0
        with _scrub_allowed():
            AuditEvent.objects.bulk_update(changed, PAYLOAD_COLUMNS, batch_size=500)
        audit_record(
            study=study,
            actor=actor,
            action=SCRUB_ACTION,
            target=study,
            new={"events": len(changed), "sequences": [event.sequence for event in changed]},
        )
    return len(changed)


def _candidates(study: Study, texts: list[str]) -> Iterator[AuditEvent]:
    """The study's events whose payload may hold one of `texts` (a superset)."""
    events = AuditEvent.objects.filter(study=study).order_by("sequence")
    if connection.vendor != "postgresql":
        return events.iterator()
    # jsonb's text escapes a string as json.dumps does with ensure_ascii=False.
    escaped = [_json_escaped(text) for text in texts]
    found = Q()
    for text, in_json in zip(texts, escaped, strict=True):
        found |= Q(reason__contains=text) | Q(old__contains=in_json) | Q(new__contains=in_json)
    return (
        events.annotate(old=Cast("old_value", TextField()), new=Cast("new_value", TextField()))
        .filter(found)
        .iterator()
    )


def _json_escaped(text: str) -> str:
    return value_json(text)[1:-1]


def _scrub_event(event: AuditEvent, pattern: re.Pattern, replacement: str) -> bool:
    """Scrub the event's payload in place; whether anything changed."""
    payload = (event.old_value, event.new_value, event.reason)
    scrubbed = tuple(_scrub_value(value, pattern, replacement) for value in payload)
    if scrubbed == payload:
        return False
    event.old_value, event.new_value, event.reason = scrubbed
    event.payload_salt = ""
    return True


def _scrub_value(value: Any, pattern: re.Pattern, replacement: str) -> Any:
    return scrub_strings(value, pattern, replacement)[0]


@contextmanager
def _scrub_allowed() -> Iterator[None]:
    """Let the append-only trigger pass payload updates, for this block only."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('duet.audit_scrub', 'on', true)")
        try:
            yield
        finally:
            cursor.execute("SELECT set_config('duet.audit_scrub', 'off', true)")
