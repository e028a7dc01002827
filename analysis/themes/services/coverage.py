"""Interview-guide coverage: marking where in a transcript a guide question was asked."""

import re

from django.db import transaction

from analysis.coding.models import Coding
from analysis.themes.models import QuestionCoverage
from analysis.themes.selectors.coverage import interview_questions
from dyads.audit import audit_record
from dyads.changes import mark_removed, snapshot, validate
from dyads.exceptions import DomainError
from dyads.permissions import Action, study_access
from interviews.models import GuideQuestion, Interview, SpeakerRole, TranscriptRevision

COVERAGE_FIELDS = ["question", "interview", "revision", "start", "end", "coding"]


def _check(question: GuideQuestion, revision: TranscriptRevision, start: int, end: int) -> None:
    interview = revision.transcript.interview
    if revision.transcript.current_revision_id != revision.pk:
        raise DomainError({"revision": "Mark coverage on the transcript's current revision."})
    if not interview_questions(interview).filter(pk=question.pk).exists():
        raise DomainError(
            {"question": f"'{question}' is not a question of this interview's guide."}
        )
    length = len(revision.text)
    if not 0 <= start < end <= length:
        raise DomainError(
            {
                "start": f"The span {start}-{end} must lie within the text (0-{length}) "
                "and not be empty."
            }
        )


@transaction.atomic
def coverage_mark(
    *,
    actor,
    question: GuideQuestion,
    revision: TranscriptRevision | None = None,
    start: int | None = None,
    end: int | None = None,
    coding: Coding | None = None,
) -> QuestionCoverage:
    """Mark that `question` was asked and answered at [start, end) of `revision`, or
    in the passage of `coding` (a coding that stands for the question's answer)."""
    if coding is not None:
        revision, start, end = coding.revision, coding.start, coding.end
        if coding.deleted_at is not None:
            raise DomainError({"coding": "The coding has been removed."})
    if revision is None or start is None or end is None:
        raise DomainError(
            {"revision": "Name the passage: a revision with start and end, or a coding."}
        )
    interview = revision.transcript.interview
    study_access(actor, interview.study, Action.CODE)
    _check(question, revision, start, end)
    if QuestionCoverage.objects.filter(
        question=question, revision=revision, start=start, end=end, deleted_at__isnull=True
    ).exists():
        raise DomainError({"question": "This question is already marked at this passage."})
    coverage = QuestionCoverage(
        study=interview.study,
        question=question,
        interview=interview,
        revision=revision,
        start=start,
        end=end,
        coding=coding,
        marked_by=actor,
    )
    validate(coverage)
    coverage.save()
    audit_record(
        study=interview.study,
        actor=actor,
        action="coverage.mark",
        target=coverage,
        new=snapshot(coverage, fields=COVERAGE_FIELDS),
    )
    return coverage


def asked_here_span(revision: TranscriptRevision, turn_index: int) -> tuple[int, int]:
    """The interviewer's turn and the answer that follows it, as one span."""
    turns = list(revision.turns.filter(index__in=[turn_index, turn_index + 1]).order_by("index"))
    if not turns or turns[0].index != turn_index:
        raise DomainError({"turn": f"The transcript has no turn number {turn_index}."})
    asked = turns[0]
    answer = turns[1] if len(turns) > 1 else None
    if answer is not None and answer.role == SpeakerRole.PARTICIPANT:
        return asked.start, answer.end
    return asked.start, asked.end


def coverage_mark_asked_here(
    *, actor, question: GuideQuestion, revision: TranscriptRevision, turn_index: int
) -> QuestionCoverage:
    """The quick action: the question was asked in this turn (and answered in the next)."""
    start, end = asked_here_span(revision, turn_index)
    return coverage_mark(actor=actor, question=question, revision=revision, start=start, end=end)


@transaction.atomic
def coverage_unmark(*, actor, coverage: QuestionCoverage) -> None:
    """Withdraw a coverage mark (soft delete)."""
    study_access(actor, coverage.study, Action.CODE)
    coverage = QuestionCoverage.objects.select_for_update().get(pk=coverage.pk)
    if coverage.deleted_at is not None:
        raise DomainError("This mark has already been withdrawn.")
    mark_removed(coverage, "deleted_at")
    audit_record(
        study=coverage.study,
        actor=actor,
        action="coverage.unmark",
        target=coverage,
        old=snapshot(coverage, fields=COVERAGE_FIELDS),
    )


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


@transaction.atomic
def coverage_detect(*, actor, interview: Interview) -> list[QuestionCoverage]:
    """Mark every unmarked guide question that an interviewer turn asks word for word.

    Words are compared without case and punctuation; a question asked in other
    words is left for the analysts to mark by hand.
    """
    study_access(actor, interview.study, Action.CODE)
    revision = getattr(getattr(interview, "transcript", None), "current_revision", None)
    if revision is None:
        raise DomainError({"interview": "The interview has no transcript yet."})
    marked = set(
        QuestionCoverage.objects.filter(interview=interview, deleted_at__isnull=True).values_list(
            "question_id", flat=True
        )
    )
    asked = [
        (turn.index, _words(revision.text[turn.start : turn.end]))
        for turn in revision.turns.filter(role=SpeakerRole.INTERVIEWER).order_by("index")
    ]
    created = []
    for question in interview_questions(interview).exclude(pk__in=marked):
        wanted = _words(question.text)
        index = next((index for index, words in asked if wanted in words), None)
        if index is not None:
            created.append(
                coverage_mark_asked_here(
                    actor=actor, question=question, revision=revision, turn_index=index
                )
            )
    return created
