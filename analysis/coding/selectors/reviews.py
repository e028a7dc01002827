"""The review queue of a transcript: its codings flagged by a correction, each with the
text it was coded on and where it lies now."""

from dataclasses import dataclass

from analysis.coding.models import Coding, CodingReview
from analysis.coding.selectors.codings import codings_visible_to
from interviews.models import Transcript

CONTEXT = 80  # code points shown either side of a span


@dataclass(frozen=True)
class ReviewItem:
    coding: Coding
    review: CodingReview | None
    old_text: str
    vanished: bool
    before: str  # the current revision's text around the coding (empty if it vanished)
    text: str
    after: str


def review_queue(*, user, transcript: Transcript) -> list[ReviewItem]:
    """The transcript's live flagged codings the user may see, in text order; 3 queries."""
    codings = codings_visible_to(
        user,
        Coding.objects.filter(
            revision__transcript=transcript, needs_review=True, deleted_at__isnull=True
        ),
    ).select_related("code", "coder", "revision", "session")
    codings = list(codings.order_by("start", "pk"))
    reviews = {
        review.coding_id: review
        for review in CodingReview.objects.filter(
            coding__in=codings, closed_at__isnull=True
        ).select_related("revision")
    }
    current = transcript.current_revision
    return [_item(coding, reviews.get(coding.pk), current) for coding in codings]


def _item(coding: Coding, review: CodingReview | None, current) -> ReviewItem:
    where = review or coding
    old_text = where.revision.text[where.start : where.end]
    if coding.revision_id != current.pk:
        return ReviewItem(coding, review, old_text, True, "", "", "")
    text = current.text
    return ReviewItem(
        coding,
        review,
        old_text,
        False,
        text[max(coding.start - CONTEXT, 0) : coding.start],
        text[coding.start : coding.end],
        text[coding.end : coding.end + CONTEXT],
    )
