"""Reviewing a coding flagged when its transcript was corrected: accept, adjust, remove.

Each closes the coding's open review and clears its flag, audited. Accepting keeps
the coding as it is (a closed session's too: the flag is not part of the round);
adjusting puts it on the transcript's current revision at the given span, and
removing soft-deletes it, both refused in a closed session like any coding change.
"""

from django.db import transaction
from django.utils import timezone

from analysis.coding.models import Coding, CodingReview, ReviewOutcome
from analysis.coding.services.codings import _lock_own_coding
from dyads.audit import audit_record
from dyads.changes import mark_removed
from dyads.exceptions import DomainError, Forbidden
from dyads.models import Role
from dyads.permissions import Action, study_access


@transaction.atomic
def coding_review_accept(*, actor, coding: Coding) -> Coding:
    """Keep a flagged coding where it now lies."""
    _, role = study_access(actor, coding.study, Action.CODE)
    coding = Coding.objects.select_for_update().get(pk=coding.pk)
    if coding.coder_id != actor.pk and role != Role.OWNER:
        raise Forbidden("Only the coder or a study owner may review a coding.")
    _flagged(coding)
    return _review_close(actor, coding, ReviewOutcome.ACCEPTED)


@transaction.atomic
def coding_review_adjust(*, actor, coding: Coding, start: int, end: int) -> Coding:
    """Put a flagged coding on [start, end) of its transcript's current revision."""
    coding = _flagged(_lock_own_coding(actor, coding))
    revision = coding.revision.transcript.current_revision
    length = len(revision.text)
    if not 0 <= start < end <= length:
        raise DomainError(
            {
                "start": f"The span {start}-{end} must lie within the text (0-{length}) and not be empty."
            }
        )
    old = {"revision": coding.revision_id, "start": coding.start, "end": coding.end}
    coding.revision, coding.start, coding.end = revision, start, end
    coding.save(update_fields=["revision", "start", "end"])
    return _review_close(actor, coding, ReviewOutcome.ADJUSTED, old=old)


@transaction.atomic
def coding_review_remove(*, actor, coding: Coding) -> Coding:
    """Remove a flagged coding (a soft delete, like any removal)."""
    coding = _flagged(_lock_own_coding(actor, coding))
    mark_removed(coding, "deleted_at")
    return _review_close(actor, coding, ReviewOutcome.REMOVED)


_ACTIONS = {
    ReviewOutcome.ACCEPTED: "coding.review_accept",
    ReviewOutcome.ADJUSTED: "coding.review_adjust",
    ReviewOutcome.REMOVED: "coding.review_remove",
}


def _flagged(coding: Coding) -> Coding:
    if not coding.needs_review:
        raise DomainError({"coding": "This coding is not waiting for review."})
    return coding


def _review_close(actor, coding: Coding, outcome: ReviewOutcome, old: dict | None = None):
    coding.needs_review = False
    coding.save(update_fields=["needs_review"])
    CodingReview.objects.filter(coding=coding, closed_at__isnull=True).update(
        closed_at=timezone.now(), closed_by=actor, outcome=outcome
    )
    audit_record(
        study=coding.study,
        actor=actor,
        action=_ACTIONS[outcome],
        target=coding,
        old=old or {"revision": coding.revision_id, "start": coding.start, "end": coding.end},
        new={
            "outcome": outcome.value,
            "revision": coding.revision_id,
            "start": coding.start,
            "end": coding.end,
        },
    )
    return coding
