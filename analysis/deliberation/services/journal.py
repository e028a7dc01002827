"""The reflexivity journal: each researcher's dated memos, private or shared.

A private entry is for its author's eyes only, and so is its text in the audit
trail: the event records that it was written or changed, its date and a
SHA-256 digest of its text (so a later change is still evident), not the
words. A shared entry is recorded in full and appears in the meeting timeline.
"""

import datetime as dt
import hashlib
from typing import Any

from django.db import transaction

from analysis.deliberation.models import JournalEntry
from dyads.audit import audit_record
from dyads.changes import apply_changes, check_version, mark_removed, validate
from dyads.exceptions import DomainError, Forbidden, NotFound
from dyads.models import Study
from dyads.permissions import Action, study_access
from dyads.text import clean_rich_text

JOURNAL_FIELDS = {"date", "title", "text", "shared"}


def journal_record_of(entry: JournalEntry, fields=("date", "title", "text", "shared")) -> dict:
    """What the audit trail keeps of an entry: everything if shared, else no words."""
    record: dict[str, Any] = {}
    for field in fields:
        value = getattr(entry, field)
        if field in {"title", "text"} and not entry.shared:
            record[f"{field}_sha256"] = hashlib.sha256(value.encode()).hexdigest()
        else:
            record[field] = value
    return record


@transaction.atomic
def journal_entry_create(
    *,
    actor,
    study: Study,
    date: dt.date,
    text: str,
    title: str = "",
    shared: bool = False,
) -> JournalEntry:
    """A reflexive memo of `date` by the actor; private unless `shared`."""
    study_access(actor, study, Action.KEEP_JOURNAL)
    text = clean_rich_text(text).strip()
    if not text:
        raise DomainError({"text": "Write something: the entry is empty."})
    entry = JournalEntry(
        study=study, author=actor, date=date, title=title.strip(), text=text, shared=shared
    )
    validate(entry)
    entry.save()
    audit_record(
        study=study,
        actor=actor,
        action="journal.create",
        target=entry,
        new=journal_record_of(entry),
    )
    return entry


def _lock_own_entry(actor, entry: JournalEntry) -> JournalEntry:
    study_access(actor, entry.study, Action.KEEP_JOURNAL)
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.deleted_at is not None or (entry.author_id != actor.pk and not entry.shared):
        raise NotFound("No such journal entry.")
    if entry.author_id != actor.pk:
        raise Forbidden("Only its author may change a journal entry.")
    return entry


@transaction.atomic
def journal_entry_update(
    *, actor, entry: JournalEntry, version: int | None = None, **changes: Any
) -> JournalEntry:
    """Edit, share or unshare one's own entry; a stale version answers Conflict."""
    entry = _lock_own_entry(actor, entry)
    if "text" in changes:
        changes["text"] = clean_rich_text(changes["text"]).strip()
        if not changes["text"]:
            raise DomainError({"text": "Write something: the entry is empty."})
    was_shared = entry.shared
    old, new = apply_changes(entry, changes, allowed=JOURNAL_FIELDS, version=version)
    if new:
        # Recorded as the entry is now visible: sharing an entry reveals its words.
        old_entry = JournalEntry(
            shared=was_shared,
            **{f: old.get(f, getattr(entry, f)) for f in ("date", "title", "text")},
        )
        audit_record(
            study=entry.study,
            actor=actor,
            action="journal.update",
            target=entry,
            old=journal_record_of(old_entry, fields=sorted(old)),
            new=journal_record_of(entry, fields=sorted(new)),
        )
    return entry


@transaction.atomic
def journal_entry_delete(*, actor, entry: JournalEntry, version: int | None = None) -> None:
    """Remove one's own entry (soft: it stays in the database and in the trail)."""
    entry = _lock_own_entry(actor, entry)
    check_version(entry, version)
    mark_removed(entry, "deleted_at")
    audit_record(
        study=entry.study,
        actor=actor,
        action="journal.delete",
        target=entry,
        old=journal_record_of(entry),
    )
