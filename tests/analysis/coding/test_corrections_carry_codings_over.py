"""A corrected transcript (a new revision) carries its codings over, in place."""

import unicodedata

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis.coding.models import AnchorState, Coding, CodingReview
from dyads.models import AuditEvent
from interviews.services.transcripts import transcript_revision_create
from tests import factories

ALPHABET = st.sampled_from([*"abcde fghij\n", "é", "😀", "𝄞"])
TEXTS = st.text(ALPHABET, min_size=2, max_size=200)
per_example = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def corrections(draw):
    """A text, spans coded on it, and its correction: one edit, then maybe CRLF or NFD."""
    old = draw(TEXTS)
    spans = []
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, len(old) - 1))
        spans.append((start, draw(st.integers(start + 1, len(old)))))
    a = draw(st.integers(0, len(old)))
    b = draw(st.integers(a, len(old)))
    replacement = draw(st.text(ALPHABET, max_size=30))
    new = old[:a] + replacement + old[b:]
    assume(new.strip() and new != old)
    return old, spans, (a, b, bool(replacement)), new, draw(st.sampled_from(["", "crlf", "nfd"]))


def untouched(start, end, edit) -> bool:
    a, b, inserts = edit
    if a < b:
        return end <= a or start >= b
    return not inserts or a <= start or a >= end


def coded(cast, text: str, spans):
    interview = factories.InterviewFactory(participant=cast.dyad.client, dyad=cast.dyad)
    revision = factories.revision_for(interview, text=text)
    code = factories.CodeFactory(study=cast.study)
    codings = [
        factories.CodingFactory(
            revision=revision, code=code, coder=cast.analyst, start=start, end=end
        )
        for start, end in spans
    ]
    return interview, revision, codings


def normal(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n"))


@per_example
@given(case=corrections())
def test_every_coding_is_kept_and_untouched_spans_keep_their_text_unflagged(cast, case):
    old_text, spans, edit, new_text, form = case
    interview, old, codings = coded(cast, old_text, spans)
    if form == "crlf":
        new_text = new_text.replace("\n", "\r\n")
    elif form == "nfd":
        new_text = unicodedata.normalize("NFD", new_text)
    new = transcript_revision_create(actor=cast.owner, interview=interview, text=new_text, turns=[])

    for coding, (start, end) in zip(codings, spans, strict=True):
        coding.refresh_from_db()
        assert coding.deleted_at is None
        if coding.revision_id == old.pk:
            assert (coding.start, coding.end, coding.needs_review) == (start, end, True)
            assert coding.reviews.get().state == AnchorState.VANISHED
            continue
        assert coding.revision_id == new.pk
        assert 0 <= coding.start < coding.end <= len(new_text)
        carried = normal(new_text[coding.start : coding.end])
        if untouched(start, end, edit):
            assert carried == normal(old.text[start:end])
            assert not coding.needs_review
        if not coding.needs_review:
            assert carried == normal(old.text[start:end])


def test_a_coding_moves_in_place_with_its_memos(cast):
    interview, _old, [coding] = coded(cast, "I said: she held my hand.", [(8, 24)])
    memo = factories_memo(cast, coding)

    new = transcript_revision_create(
        actor=cast.owner, interview=interview, text="Intro. I said: she held my hand.", turns=[]
    )

    coding.refresh_from_db()
    assert (coding.revision_id, coding.start, coding.end) == (new.pk, 15, 31)
    assert new.text[coding.start : coding.end] == "she held my hand"
    assert not coding.needs_review
    assert coding.memos.get() == memo


def test_a_changed_coding_is_flagged_with_a_review_naming_where_it_stood(cast):
    interview, old, [coding] = coded(cast, "I said: she held my hand.", [(8, 24)])

    transcript_revision_create(
        actor=cast.owner, interview=interview, text="I said: she held my arm.", turns=[]
    )

    coding.refresh_from_db()
    assert coding.needs_review
    review = coding.reviews.get()
    assert (review.revision_id, review.start, review.end) == (old.pk, 8, 24)
    assert review.state == AnchorState.CHANGED


def test_a_vanished_coding_stays_on_its_old_revision_flagged(cast):
    interview, old, [coding] = coded(cast, "Keep this. Drop this sentence.", [(11, 30)])

    transcript_revision_create(actor=cast.owner, interview=interview, text="Keep this.", turns=[])

    coding.refresh_from_db()
    assert (coding.revision_id, coding.start, coding.end) == (old.pk, 11, 30)
    assert coding.needs_review
    assert coding.reviews.get().state == AnchorState.VANISHED


def test_the_re_anchoring_is_one_audit_event_with_counts_per_state(cast):
    text = "one two three four"
    interview, _old, codings = coded(cast, text, [(0, 3), (4, 7), (8, 13)])

    new = transcript_revision_create(
        actor=cast.owner, interview=interview, text="one 2 three four", turns=[]
    )

    event = AuditEvent.objects.get(action="coding.reanchor")
    assert event.object_id == str(new.pk)
    assert event.new_value["unchanged"] == 2
    assert event.new_value["changed"] + event.new_value["vanished"] == 1
    assert CodingReview.objects.filter(coding__in=codings).count() == 1


def test_removed_codings_stay_where_they_were(cast):
    interview, old, [coding] = coded(cast, "Keep this text here.", [(0, 4)])
    Coding.objects.filter(pk=coding.pk).update(deleted_at="2026-01-01T00:00:00Z")

    transcript_revision_create(
        actor=cast.owner, interview=interview, text="Well. Keep this text here.", turns=[]
    )

    coding.refresh_from_db()
    assert coding.revision_id == old.pk


def factories_memo(cast, coding):
    from analysis.coding.models import Memo

    return Memo.objects.create(study=cast.study, author=cast.analyst, text="Why", coding=coding)
