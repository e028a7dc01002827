"""Redacting a string found in a transcript after its import (a name the pseudonym list missed).

`transcript_redact` replaces the string, in one transaction, wherever the transcript's
words are kept: every revision's text, un-pseudonymised original, source name and
speaker labels (interviews.services.redaction, which also moves the speaker turns and
calls the revision followers that carry codings and other anchored spans over, and
has the search documents computed again); records that quote the transcript
(decision snapshots of quotes, memos); exchange files kept in media that contain it
(removed, their jobs saying so). The match is exact, letter case included.

The audit event `transcript.redact` says where, how often and how long the string
was, never the string itself.
"""

from dataclasses import dataclass

from django.db import transaction

from analysis.exchange.services.scrubbing import exchange_files_remove, quoting_records_scrub
from dyads.audit import audit_payloads_scrub, audit_record
from dyads.exceptions import DomainError
from dyads.permissions import Action, study_access
from interviews.models import Transcript
from interviews.services.redaction import revisions_redact

DEFAULT_REPLACEMENT = "[redacted]"
REMOVED_BY_REDACTION = "Removed by a redaction: this file held the redacted words. Export again."


@dataclass(frozen=True)
class RedactionResult:
    revisions: int
    occurrences: int
    quoting_records: int
    exchange_files: int
    audit_events: int


@transaction.atomic
def transcript_redact(
    *, actor, transcript: Transcript, text: str, replacement: str = DEFAULT_REPLACEMENT
) -> RedactionResult:
    """Replace `text` by `replacement` in everything that keeps the transcript's words.

    Owners only. Refused, with nothing changed, for a blank string, a blank
    replacement, a replacement containing the string, or a string the transcript
    does not contain.
    """
    study, _ = study_access(actor, transcript.interview.study, Action.ERASE_DATA)
    _check(text, replacement)
    redacted = revisions_redact(
        actor=actor, transcript=transcript, text=text, replacement=replacement
    )
    if not redacted:
        raise DomainError(
            {"text": "The transcript does not contain this text (letter case counts)."}
        )
    result = RedactionResult(
        revisions=len(redacted),
        occurrences=sum(item.occurrences for item in redacted),
        quoting_records=quoting_records_scrub(study=study, texts={text}, replacement=replacement),
        exchange_files=exchange_files_remove(
            study=study, note=REMOVED_BY_REDACTION, mentioning=[text]
        ),
        audit_events=audit_payloads_scrub(
            study=study, texts=[text], replacement=replacement, actor=actor
        ),
    )
    audit_record(
        study=study,
        actor=actor,
        action="transcript.redact",
        target=transcript,
        new={
            "revisions": {str(item.revision): item.occurrences for item in redacted},
            "occurrences": result.occurrences,
            "length": len(text),
            "replacement": replacement,
            "quoting_records": result.quoting_records,
            "exchange_files": result.exchange_files,
            "audit_events": result.audit_events,
        },
    )
    return result


def _check(text: str, replacement: str) -> None:
    errors = {}
    if not text.strip():
        errors["text"] = "Give the words to redact."
    if not replacement.strip():
        errors["replacement"] = "Give what replaces the words, such as [redacted] or a pseudonym."
    elif text.strip() and text in replacement:
        errors["replacement"] = "The replacement must not contain the words it replaces."
    if errors:
        raise DomainError(errors)
