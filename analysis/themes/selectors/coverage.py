"""Reads of interview-guide coverage: which guide questions each interview covered.

An interview counts as reviewed once it has at least one coverage mark; its
unmarked questions are then missed. An interview nobody has reviewed yet is
shown as such, never as having missed every question.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from analysis.themes.models import QuestionCoverage
from dyads.exceptions import NotFound
from dyads.models import Study
from interviews.models import GuideQuestion, Interview, InterviewGuide, TranscriptRevision
from interviews.selectors import TurnView, turn_views


def interview_questions(interview: Interview) -> QuerySet[GuideQuestion]:
    """The questions of the interview's guide: study-wide ones and those tailored to
    this participant."""
    if interview.guide_id is None:
        return GuideQuestion.objects.none()
    return GuideQuestion.objects.filter(guide_id=interview.guide_id).filter(
        Q(participant__isnull=True) | Q(participant=interview.participant_id)
    )


@dataclass(frozen=True)
class QuestionStatus:
    question: GuideQuestion
    marks: list[QuestionCoverage]

    @property
    def covered(self) -> bool:
        return bool(self.marks)


@dataclass(frozen=True)
class InterviewCoverage:
    interview: Interview
    revision: TranscriptRevision | None
    questions: list[QuestionStatus]
    turns: list[TurnView]

    @property
    def reviewed(self) -> bool:
        return any(status.covered for status in self.questions)

    @property
    def covered(self) -> list[QuestionStatus]:
        return [status for status in self.questions if status.covered]

    @property
    def missed(self) -> list[QuestionStatus]:
        return [status for status in self.questions if not status.covered] if self.reviewed else []


def interview_coverage(*, study: Study, interview_id: int) -> InterviewCoverage:
    """One interview's guide questions with their coverage marks, and its transcript's
    turns for the "asked here" action (5 queries)."""
    interview = (
        Interview.objects.filter(
            study=study,
            pk=interview_id,
            deleted_at__isnull=True,
            participant__deleted_at__isnull=True,
        )
        .select_related("participant", "dyad", "guide", "transcript__current_revision")
        .first()
    )
    if interview is None:
        raise NotFound("No such interview in this study.")
    marks = defaultdict(list)
    for mark in QuestionCoverage.objects.filter(
        interview=interview, deleted_at__isnull=True
    ).select_related("marked_by"):
        marks[mark.question_id].append(mark)
    questions = [
        QuestionStatus(question=question, marks=marks[question.pk])
        for question in interview_questions(interview).order_by("position")
    ]
    revision = getattr(getattr(interview, "transcript", None), "current_revision", None)
    turns = turn_views(revision, list(revision.turns.order_by("index"))) if revision else []
    return InterviewCoverage(
        interview=interview, revision=revision, questions=questions, turns=turns
    )


@dataclass(frozen=True)
class QuestionSummary:
    """How one guide question fared across the interviews it belongs to."""

    question: GuideQuestion
    covered: list[Interview]
    missed: list[Interview]
    not_reviewed: list[Interview]

    @property
    def reviewed(self) -> int:
        return len(self.covered) + len(self.missed)

    @property
    def percent(self) -> int | None:
        return round(100 * len(self.covered) / self.reviewed) if self.reviewed else None


@dataclass(frozen=True)
class GuideCoverage:
    guide: InterviewGuide
    questions: list[QuestionSummary]


@dataclass(frozen=True)
class InterviewSummary:
    interview: Interview
    applicable: int
    covered: int

    @property
    def reviewed(self) -> bool:
        return self.covered > 0

    @property
    def missed(self) -> int:
        return self.applicable - self.covered if self.reviewed else 0


@dataclass(frozen=True)
class StudyCoverage:
    guides: list[GuideCoverage]
    interviews: list[InterviewSummary]


def study_coverage(*, study: Study) -> StudyCoverage:
    """Coverage per guide question across the interviews that use its guide, and per
    interview (4 queries)."""
    interviews = list(
        Interview.objects.filter(
            study=study,
            deleted_at__isnull=True,
            participant__deleted_at__isnull=True,
            guide__isnull=False,
            transcript__current_revision__isnull=False,
        )
        .select_related("participant")
        .order_by("participant__pseudonym", "sequence_number")
    )
    guides = {guide.pk: guide for guide in InterviewGuide.objects.filter(study=study)}
    questions = list(
        GuideQuestion.objects.filter(guide__study=study)
        .select_related("participant")
        .order_by("guide__title", "position")
    )
    covered = set(
        QuestionCoverage.objects.filter(study=study, deleted_at__isnull=True).values_list(
            "question_id", "interview_id"
        )
    )
    reviewed = {interview_id for _, interview_id in covered}
    by_guide = defaultdict(list)
    applicable = defaultdict(int)
    for question in questions:
        summary = QuestionSummary(question=question, covered=[], missed=[], not_reviewed=[])
        for interview in interviews:
            if interview.guide_id != question.guide_id or question.participant_id not in (
                None,
                interview.participant_id,
            ):
                continue
            applicable[interview.pk] += 1
            if (question.pk, interview.pk) in covered:
                summary.covered.append(interview)
            elif interview.pk in reviewed:
                summary.missed.append(interview)
            else:
                summary.not_reviewed.append(interview)
        by_guide[question.guide_id].append(summary)
    per_interview = defaultdict(int)
    for _, interview_id in covered:
        per_interview[interview_id] += 1
    return StudyCoverage(
        guides=[
            GuideCoverage(guide=guides[guide_id], questions=summaries)
            for guide_id, summaries in by_guide.items()
        ],
        interviews=[
            InterviewSummary(
                interview=interview,
                applicable=applicable[interview.pk],
                covered=per_interview[interview.pk],
            )
            for interview in interviews
        ],
    )
