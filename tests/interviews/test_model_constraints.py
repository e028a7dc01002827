"""The database itself refuses invalid interview and transcript rows."""

from contextlib import contextmanager

import pytest
from django.db import Error, IntegrityError, connection, transaction

from interviews.models import (
    GuideQuestion,
    ImportJob,
    Interview,
    InterviewGuide,
    SpeakerTurn,
    Transcript,
    TranscriptRevision,
)
from tests import factories

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the immutability trigger exists on PostgreSQL only"
)


@contextmanager
def refused_by_the_database(error: type[Exception] = IntegrityError):
    """Expect the database to refuse, also through a deferred constraint checked at commit."""
    with pytest.raises(error), transaction.atomic():
        yield
        connection.check_constraints()


@pytest.fixture
def participant(db):
    return factories.ParticipantFactory()


@pytest.fixture
def revision(db):
    return factories.RevisionFactory()


def turn(revision, **fields) -> SpeakerTurn:
    values = {"index": 99, "speaker": "C", "role": "participant", "start": 0, "end": 5}
    return SpeakerTurn.objects.create(revision=revision, **{**values, **fields})


def test_interview_numbers_are_unique_per_participant(participant):
    factories.InterviewFactory(participant=participant, sequence_number=1)
    factories.InterviewFactory(sequence_number=1)

    with refused_by_the_database():
        factories.InterviewFactory(participant=participant, sequence_number=1)


def test_interview_numbers_start_at_one(participant):
    with refused_by_the_database():
        factories.InterviewFactory(participant=participant, sequence_number=0)


@pytest.mark.parametrize("field, value", [("focus", "weather"), ("timing", "before")])
def test_an_interview_has_a_known_focus_and_timing(participant, field, value):
    with refused_by_the_database():
        factories.InterviewFactory(participant=participant, **{field: value})


def test_an_interview_has_one_transcript(participant):
    interview = factories.InterviewFactory(participant=participant)
    Transcript.objects.create(interview=interview)

    with refused_by_the_database():
        Transcript.objects.create(interview=interview)


def test_revision_numbers_are_unique_per_transcript(revision):
    with refused_by_the_database():
        factories.RevisionFactory(transcript=revision.transcript, number=1)


def test_revision_numbers_start_at_one(revision):
    with refused_by_the_database():
        factories.RevisionFactory(transcript=revision.transcript, number=0)


@postgres_only
def test_the_text_of_a_revision_cannot_be_changed(revision):
    with refused_by_the_database(Error):
        TranscriptRevision.objects.filter(pk=revision.pk).update(text="A corrected text.")

    revision.refresh_from_db()
    assert revision.text == factories.SAMPLE_TEXT


def test_other_fields_of_a_revision_can_be_changed(revision):
    TranscriptRevision.objects.filter(pk=revision.pk).update(source_name="renamed.txt")

    revision.refresh_from_db()
    assert revision.source_name == "renamed.txt"


@pytest.mark.parametrize("start, end", [(5, 5), (6, 5)])
def test_a_turn_must_end_after_it_starts(revision, start, end):
    with refused_by_the_database():
        turn(revision, start=start, end=end)


def test_turn_offsets_cannot_be_negative(revision):
    with refused_by_the_database():
        turn(revision, start=-1, end=5)


def test_turn_indexes_are_unique_per_revision(revision):
    with refused_by_the_database():
        turn(revision, index=0)


def test_a_turn_cannot_end_before_it_starts_in_time(revision):
    with refused_by_the_database():
        turn(revision, t_start=5000, t_end=4000)


def test_a_turn_may_have_no_times_or_only_a_start(revision):
    turn(revision, index=98)
    turn(revision, index=99, t_start=5000)

    assert revision.turns.filter(index__in=[98, 99]).count() == 2


def test_guide_titles_are_unique_within_a_study(participant):
    InterviewGuide.objects.create(study=participant.study, title="Client guide")
    InterviewGuide.objects.create(study=factories.StudyFactory(), title="Client guide")

    with refused_by_the_database():
        InterviewGuide.objects.create(study=participant.study, title="Client guide")


def test_question_positions_are_unique_within_a_guide(participant):
    guide = InterviewGuide.objects.create(study=participant.study, title="Client guide")
    GuideQuestion.objects.create(guide=guide, position=1, text="What helped?")

    with refused_by_the_database():
        GuideQuestion.objects.create(guide=guide, position=1, text="What did not?")


def test_import_progress_is_a_percentage(revision):
    interview = revision.transcript.interview

    with refused_by_the_database():
        ImportJob.objects.create(
            study=interview.study,
            interview=interview,
            file_name="t1.txt",
            checksum="0" * 64,
            created_by=revision.created_by,
            progress=101,
        )


def test_interviews_of_different_participants_may_share_a_number(participant):
    factories.InterviewFactory(participant=participant, sequence_number=1)
    factories.InterviewFactory(sequence_number=1)

    assert Interview.objects.filter(sequence_number=1).count() == 2
