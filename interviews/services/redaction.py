"""Rewriting a transcript's revisions in place, to take out words found after import.

A revision's text is immutable, with this one exception: `revisions_redact` replaces
a string in every revision of a transcript, its un-pseudonymised original, its source
name, its speaker labels, and moves its speaker turns and everything the apps built on
it anchor to its text (the revision followers, interviews.revision_followers, called
with `old` and `new` both the rewritten revision). The database lets the UPDATE
through because the revision is named in a transaction-local setting that the
immutability trigger checks (migration 0009). The search document is computed again
after the transaction commits.

It is a step of the audited redaction service (analysis.exchange.services.redaction),
which checks the caller and records the event; nothing else calls it.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection

from dyads.exceptions import DomainError

from ..models import SpeakerTurn, Transcript, TranscriptRevision
from ..replacement_map import ReplacementMap
from ..revision_followers import revision_followers_run
from .search_documents import search_documents_fill_later


@dataclass(frozen=True)
class Redacted:
    revision: int
    occurrences: int  # in the revision's text


def holds(revision: TranscriptRevision, text: str) -> bool:
    """Whether the revision's text, original, source name or a speaker label holds `text`."""
    speakers = revision.turns.filter(speaker__contains=text)
    return (
        any(
            text in value for value in [revision.text, revision.original_text, revision.source_name]
        )
        or speakers.exists()
    )


def revisions_redact(
    *, actor, transcript: Transcript, text: str, replacement: str
) -> list[Redacted]:
    """Replace `text` by `replacement` in every revision of the transcript that holds it."""
    redacted = []
    revisions = TranscriptRevision.objects.select_for_update().filter(transcript=transcript)
    for revision in revisions.order_by("number"):
        if holds(revision, text):
            redacted.append(Redacted(revision=revision.pk, occurrences=revision.text.count(text)))
            _rewrite(actor, revision, text, replacement)
    if redacted:
        search_documents_fill_later()
    return redacted


def _rewrite(actor, revision: TranscriptRevision, text: str, replacement: str) -> None:
    old_text = revision.text
    revision.text = old_text.replace(text, replacement)
    revision.original_text = revision.original_text.replace(text, replacement)
    revision.source_name = revision.source_name.replace(text, replacement)
    with _redacting(revision):
        TranscriptRevision.objects.filter(pk=revision.pk).update(
            text=revision.text,
            original_text=revision.original_text,
            source_name=revision.source_name,
        )
    _clear_search_document(revision)
    mapping = ReplacementMap(old_text, text, replacement)
    turns = list(revision.turns.all())
    for turn in turns:
        span = mapping.span(turn.start, turn.end)
        turn.start, turn.end = span.start, span.end
        turn.speaker = turn.speaker.replace(text, replacement)
    _check_lengths(revision, turns)
    SpeakerTurn.objects.bulk_update(turns, ["start", "end", "speaker"], batch_size=500)
    revision_followers_run(actor=actor, old=revision, new=revision, mapping=mapping)


def _check_lengths(revision: TranscriptRevision, turns: list[SpeakerTurn]) -> None:
    """A replacement longer than the words may not overflow a speaker label or file name."""
    speaker_limit = SpeakerTurn._meta.get_field("speaker").max_length
    name_limit = TranscriptRevision._meta.get_field("source_name").max_length
    if len(revision.source_name) > name_limit or any(
        len(turn.speaker) > speaker_limit for turn in turns
    ):
        raise DomainError(
            {
                "replacement": "The replacement makes a speaker name or file name too long; "
                "choose a shorter one."
            }
        )


@contextmanager
def _redacting(revision: TranscriptRevision):
    """Let the immutability trigger pass this revision's UPDATE (PostgreSQL only)."""
    _name_redacted(str(revision.pk))
    yield
    _name_redacted("")


def _name_redacted(revision_id: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('duet.redacting_revision', %s, true)", [revision_id])


def _clear_search_document(revision: TranscriptRevision) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TranscriptRevision._meta.db_table} SET search_document = NULL "
                "WHERE id = %s",
                [revision.pk],
            )
