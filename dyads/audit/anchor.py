"""Re-anchoring a study's chain under a new way of hashing it, with a recorded event.

When what a link's hash covers or the key it is computed under changes (a new
canonical form, a new key), every event's hash is recomputed from the first event
on. Each event is checked the old way as it is read and gets its new link; then an
`audit.rekey` event is appended under the new way, holding the old chain's head
hash, its length and whether it verified. Whoever kept the old head hash (a
checkpoint, a printed audit report) can match it with that event. Only the table's
owner can re-anchor: the append-only trigger is disabled inside the transaction,
and the table lock that takes keeps writers out meanwhile.

Migrations call `chain_reanchor` with their historical models, so it uses no model
method; `audit_key_rotate` moves every chain to a new key.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connections, transaction
from django.utils import timezone

from dyads.exceptions import DomainError
from dyads.models import AuditChainHead, AuditEvent, Study

from .chain import GENESIS_HASH, audit_key, canonical_form, link_hash, seal_payload
from .verify import audit_verify

REKEY_ACTION = "audit.rekey"
APPEND_ONLY_TRIGGER = "auditevent_append_only"
BATCH = 2000
OldHash = Callable[[str, Any], str]  # (previous hash, event) -> its hash the old way
NewLink = Callable[[str, bytes], str]  # (previous hash, canonical form) -> the new hash


def chain_reanchor(
    *,
    event_model,
    head_model,
    study_id: int,
    old_hash: OldHash,
    new_link: NewLink,
    scheme: str,
    using: str = "default",
) -> None:
    """Recompute every link of the study's chain with `new_link` and record that it
    happened in an `audit.rekey` event (see the module's docstring)."""
    with transaction.atomic(using=using):
        head = head_model.objects.using(using).select_for_update().filter(study_id=study_id)
        head = head.first()
        if head is None:
            return
        _set_append_only(using, "DISABLE")
        events = event_model.objects.using(using).filter(study_id=study_id).order_by("sequence")
        old_previous, new_previous, problem, batch, count = GENESIS_HASH, GENESIS_HASH, "", [], 0
        for event in events.iterator(chunk_size=BATCH):
            count += 1
            problem = problem or _old_link_problem(event, count, old_previous, old_hash)
            old_previous = event.hash
            new_previous = _relink(event, new_previous, new_link)
            batch.append(event)
            if len(batch) == BATCH:
                _save(event_model, batch, using)
                batch = []
        _save(event_model, batch, using)
        if not problem and (old_previous, count) != (head.last_hash, head.sequence):
            problem = "the chain head did not match its last event"
        rekey = _rekey_event(event_model, head, problem, scheme)
        seal_payload(rekey)
        _relink(rekey, new_previous, new_link)
        rekey.save(using=using, force_insert=True)
        head.sequence, head.last_hash = rekey.sequence, rekey.hash
        head.save(using=using, update_fields=["sequence", "last_hash"])
        _set_append_only(using, "ENABLE")


def _rekey_event(event_model, head, problem: str, scheme: str):
    return event_model(
        study_id=head.study_id,
        sequence=head.sequence + 1,
        actor=None,
        created_at=timezone.now(),
        action=REKEY_ACTION,
        object_type="dyads.study",
        object_id=str(head.study_id),
        old_value=None,
        new_value={
            "previous_head": head.last_hash,
            "previous_sequence": head.sequence,
            "previous_chain": problem or "intact",
            "scheme": scheme,
        },
        reason="Every link of the chain was recomputed the new way.",
        request_id=None,
        may_change_rounds=False,
    )


def _old_link_problem(event, expected: int, previous: str, old_hash: OldHash) -> str:
    if event.sequence != expected:
        return f"sequence {expected} was missing"
    if event.previous_hash != previous:
        return f"event #{expected} did not point to the previous event's hash"
    if old_hash(previous, event) != event.hash:
        return f"event #{expected} did not match its hash"
    return ""


def _relink(event, previous: str, new_link: NewLink) -> str:
    """Give the event its new link; a stored payload without a digest (written before
    digests existed) gets one, and a salt."""
    if not event.payload_digest:
        seal_payload(event)
    event.previous_hash = previous
    event.hash = new_link(previous, canonical_form(event))
    return event.hash


def _save(event_model, events: list, using: str) -> None:
    fields = ["payload_salt", "payload_digest", "previous_hash", "hash"]
    event_model.objects.using(using).bulk_update(events, fields)


def _set_append_only(using: str, state: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Pending deferred checks would block ALTER TABLE: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE dyads_auditevent {state} TRIGGER {APPEND_ONLY_TRIGGER}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def audit_key_rotate(*, old_key: bytes, studies: Iterable[Study] | None = None) -> list[Study]:
    """Re-anchor every study's chain (or those of `studies`) from `old_key` to the
    configured audit key, in one transaction; return the studies re-anchored.

    Every chain is verified under the old key first: if one does not verify, nothing
    changes and the DomainError names it, since re-anchoring would hide the break.
    """
    if old_key == audit_key():
        raise DomainError({"old_key": "The old key is the configured key: nothing to rotate."})
    chosen = (
        list(studies)
        if studies is not None
        else list(Study.objects.filter(audit_head__isnull=False).order_by("pk"))
    )
    for study in chosen:
        report = audit_verify(study=study, key=old_key)
        if not report.intact:
            where = f"event #{report.first_broken.sequence} " if report.first_broken else ""
            raise DomainError(
                {
                    "old_key": f"The chain of {study.slug} does not verify under the old key: "
                    f"{where}{report.problem}. Nothing was rotated."
                }
            )
    with transaction.atomic():
        for study in chosen:
            chain_reanchor(
                event_model=AuditEvent,
                head_model=AuditChainHead,
                study_id=study.pk,
                old_hash=lambda previous, event: link_hash(
                    previous, canonical_form(event), old_key
                ),
                new_link=link_hash,
                scheme="payload digests, HMAC-SHA256 links under a new AUDIT_HMAC_KEY",
            )
    return chosen
