"""Interview-guide coverage: guide questions linked to the passages where they were asked;
each interview shows its covered and missed questions, the study each question's coverage."""

import pytest
from django.db.models import Q

from analysis.themes.models import QuestionCoverage
from analysis.themes.selectors.coverage import interview_coverage, study_coverage
from analysis.themes.services.coverage import (
    coverage_detect,
    coverage_mark,
    coverage_mark_asked_here,
    coverage_unmark,
)
from dyads.exceptions import DomainError, Forbidden
from dyads.models import AuditEvent
from interviews.models import GuideQuestion, Interview, InterviewGuide, TranscriptRevision
from tests import factories


def applicable(interview: Interview) -> set[int]:
    return set(
        GuideQuestion.objects.filter(guide=interview.guide)
        .filter(Q(participant__isnull=True) | Q(participant=interview.participant))
        .values_list("pk", flat=True)
    )


def marked(interview: Interview) -> set[int]:
    return set(
        QuestionCoverage.objects.filter(interview=interview, deleted_at__isnull=True).values_list(
            "question", flat=True
        )
    )


def test_on_the_demo_study_each_reviewed_interview_marks_its_unmarked_questions_missed(
    demo_study,
):
    interviews = Interview.objects.filter(
        study=demo_study, guide__isnull=False, transcript__isnull=False
    )
    missed_somewhere = 0
    for interview in interviews:
        coverage = interview_coverage(study=demo_study, interview_id=interview.pk)
        covered = marked(interview)
        assert {s.question.pk for s in coverage.covered} == covered
        expected_missed = applicable(interview) - covered if covered else set()
        assert {s.question.pk for s in coverage.missed} == expected_missed
        missed_somewhere += len(expected_missed)
    assert missed_somewhere > 0


def test_on_the_demo_study_each_question_counts_its_covered_missed_and_unreviewed_interviews(
    demo_study,
):
    coverage = study_coverage(study=demo_study)

    interviews = list(
        Interview.objects.filter(study=demo_study, guide__isnull=False, transcript__isnull=False)
    )
    for guide in coverage.guides:
        for row in guide.questions:
            question = row.question
            using = [i for i in interviews if question.pk in applicable(i)]
            covered = [i for i in using if question.pk in marked(i)]
            missed = [i for i in using if marked(i) and question.pk not in marked(i)]
            assert {i.pk for i in row.covered} == {i.pk for i in covered}
            assert {i.pk for i in row.missed} == {i.pk for i in missed}
            assert len(row.not_reviewed) == len(using) - len(covered) - len(missed)


@pytest.fixture
def guided(cast):
    """The cast's client interview with a guide of three questions, one tailored."""
    guide = InterviewGuide.objects.create(study=cast.study, title="Client guide")
    questions = [
        GuideQuestion.objects.create(guide=guide, position=1, text="What helped?"),
        GuideQuestion.objects.create(
            guide=guide,
            position=2,
            text="How would you describe your relationship with the therapist?",
        ),
        GuideQuestion.objects.create(
            guide=guide, position=3, text="Was your sister ill?", participant=cast.dyad.client
        ),
    ]
    other = GuideQuestion.objects.create(
        guide=guide, position=4, text="Tailored to another", participant=cast.dyad.therapist
    )
    Interview.objects.filter(pk=cast.client_interview.pk).update(guide=guide)
    cast.client_interview.refresh_from_db()
    return cast, questions, other


def test_asked_here_marks_the_interviewers_turn_and_the_answer_that_follows(guided):
    cast, questions, _ = guided

    mark = coverage_mark_asked_here(
        actor=cast.analyst, question=questions[0], revision=cast.revision, turn_index=2
    )

    turns = list(cast.revision.turns.order_by("index"))
    assert (mark.start, mark.end) == (turns[2].start, turns[3].end)
    assert mark.interview == cast.client_interview
    assert AuditEvent.objects.filter(action="coverage.mark", object_id=str(mark.pk)).exists()


def test_a_coding_can_stand_for_the_passage_where_a_question_was_answered(guided):
    cast, questions, _ = guided
    coding = factories.CodingFactory(revision=cast.revision, coder=cast.analyst, start=65, end=131)

    mark = coverage_mark(actor=cast.analyst, question=questions[1], coding=coding)

    assert (mark.revision, mark.start, mark.end, mark.coding) == (cast.revision, 65, 131, coding)


def test_an_interview_with_marks_misses_its_unmarked_questions_and_one_without_is_unreviewed(
    guided,
):
    cast, questions, _ = guided
    before = interview_coverage(study=cast.study, interview_id=cast.client_interview.pk)

    coverage_mark_asked_here(
        actor=cast.analyst, question=questions[0], revision=cast.revision, turn_index=2
    )
    after = interview_coverage(study=cast.study, interview_id=cast.client_interview.pk)

    assert not before.reviewed and before.missed == []
    assert [s.question for s in after.questions] == questions  # not the one tailored to another
    assert [s.question for s in after.covered] == [questions[0]]
    assert [s.question for s in after.missed] == questions[1:]
    summary = next(
        s
        for s in study_coverage(study=cast.study).interviews
        if s.interview == cast.client_interview
    )
    assert (summary.applicable, summary.covered, summary.missed) == (3, 1, 2)


def test_withdrawing_a_mark_makes_the_question_missed_again(guided):
    cast, questions, _ = guided
    kept = coverage_mark_asked_here(
        actor=cast.analyst, question=questions[0], revision=cast.revision, turn_index=2
    )
    mark = coverage_mark_asked_here(
        actor=cast.analyst, question=questions[1], revision=cast.revision, turn_index=0
    )

    coverage_unmark(actor=cast.analyst, coverage=mark)

    coverage = interview_coverage(study=cast.study, interview_id=cast.client_interview.pk)
    assert questions[1] in [s.question for s in coverage.missed]
    assert kept.deleted_at is None


def test_questions_asked_word_for_word_are_found_and_marked(guided):
    cast, questions, _ = guided

    found = coverage_detect(actor=cast.analyst, interview=cast.client_interview)

    assert {mark.question for mark in found} == {questions[0], questions[1]}
    assert coverage_detect(actor=cast.analyst, interview=cast.client_interview) == []


def bad_marks(cast, questions, other) -> dict:
    old = TranscriptRevision.objects.create(
        transcript=cast.revision.transcript, number=2, text="old", created_by=cast.owner
    )
    return {
        "a question tailored to someone else": (
            {"question": other, "revision": cast.revision, "start": 0, "end": 10},
            "question",
        ),
        "a span outside the text": (
            {"question": questions[0], "revision": cast.revision, "start": 100, "end": 999},
            "start",
        ),
        "an empty span": (
            {"question": questions[0], "revision": cast.revision, "start": 10, "end": 10},
            "start",
        ),
        "an outdated revision": (
            {"question": questions[0], "revision": old, "start": 0, "end": 2},
            "revision",
        ),
        "no passage": ({"question": questions[0]}, "revision"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "a question tailored to someone else",
        "a span outside the text",
        "an empty span",
        "an outdated revision",
        "no passage",
    ],
)
def test_a_bad_mark_names_the_field_and_changes_nothing(guided, case):
    cast, questions, other = guided
    arguments, field = bad_marks(cast, questions, other)[case]
    before = (QuestionCoverage.objects.count(), AuditEvent.objects.count())

    with pytest.raises(DomainError) as raised:
        coverage_mark(actor=cast.analyst, **arguments)

    assert field in raised.value.detail
    assert (QuestionCoverage.objects.count(), AuditEvent.objects.count()) == before


def test_the_same_passage_is_marked_once_per_question(guided):
    cast, questions, _ = guided
    coverage_mark_asked_here(
        actor=cast.analyst, question=questions[0], revision=cast.revision, turn_index=2
    )

    with pytest.raises(DomainError, match="already marked"):
        coverage_mark_asked_here(
            actor=cast.analyst, question=questions[0], revision=cast.revision, turn_index=2
        )


def test_a_turn_that_does_not_exist_is_refused(guided):
    cast, questions, _ = guided

    with pytest.raises(DomainError, match="no turn number 17"):
        coverage_mark_asked_here(
            actor=cast.analyst, question=questions[0], revision=cast.revision, turn_index=17
        )


def test_an_auditor_may_not_mark_coverage(guided):
    cast, questions, _ = guided

    with pytest.raises(Forbidden):
        coverage_mark_asked_here(
            actor=cast.auditor, question=questions[0], revision=cast.revision, turn_index=2
        )
