"""factory_boy factories for test data. They write rows directly: use them to
arrange a test, and the services when the write itself is under test."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from analysis.coding.models import Code, Coding, CodingSession, SessionMode
from analysis.deliberation.models import MeetingRecord
from analysis.themes.models import Theme, ThemeLevel
from dyads.models import Dyad, Participant, ParticipantRole, Role, Site, Study, StudyMembership
from interviews.models import (
    Interview,
    InterviewFocus,
    InterviewTiming,
    SpeakerRole,
    SpeakerTurn,
    Transcript,
    TranscriptRevision,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(user, create, extracted, **kwargs):
        if create:
            user.save()


class StudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Study

    title = factory.Sequence(lambda n: f"Study {n}")
    slug = factory.Sequence(lambda n: f"study-{n}")
    ethics_approval_reference = "REK 2026/123"
    # The import tests' samples name people on purpose; the hold for an owner's review of
    # possible names (on by default, see tests/interviews/test_name_review.py) is off here.
    require_name_review = False


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyMembership

    study = factory.SubFactory(StudyFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ANALYST


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    study = factory.SubFactory(StudyFactory)
    name = factory.Sequence(lambda n: f"Clinic {n}")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    study = factory.SubFactory(StudyFactory)
    role = ParticipantRole.CLIENT
    pseudonym = factory.Sequence(lambda n: f"P{n:03d}")
    gender = "female"
    age = 34


class TherapistFactory(ParticipantFactory):
    role = ParticipantRole.THERAPIST
    pseudonym = factory.Sequence(lambda n: f"T{n:03d}")
    profession = "psychologist"
    theoretical_orientation = "psychodynamic"


class DyadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dyad

    study = factory.SubFactory(StudyFactory)
    label = factory.Sequence(lambda n: f"Dyad {n}")
    therapist = factory.SubFactory(TherapistFactory, study=factory.SelfAttribute("..study"))
    client = factory.SubFactory(ParticipantFactory, study=factory.SelfAttribute("..study"))


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    participant = factory.SubFactory(ParticipantFactory)
    study = factory.SelfAttribute("participant.study")
    sequence_number = factory.Sequence(lambda n: n + 1)
    focus = InterviewFocus.THERAPY
    timing = InterviewTiming.AFTER
    date = dt.date(2026, 3, 2)
    duration_minutes = 60


SAMPLE_TEXT = (
    "I: How would you describe your relationship with the therapist?\n\n"
    "C: Like walking into a dark room 🌑 while somebody holds your hand.\n\n"
    "I: What helped?\n\n"
    "C: That she did not let me escape."
)


class RevisionFactory(factory.django.DjangoModelFactory):
    """A transcript revision of SAMPLE_TEXT with its four speaker turns."""

    class Meta:
        model = TranscriptRevision
        skip_postgeneration_save = True

    transcript = factory.LazyFunction(
        lambda: Transcript.objects.create(interview=InterviewFactory())
    )
    number = 1
    text = SAMPLE_TEXT
    checksum = factory.Sequence(lambda n: f"{n:064d}")
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def turns(revision, create, extracted, **kwargs):
        if not create:
            return
        from interviews.turns import detect_turns

        SpeakerTurn.objects.bulk_create(
            SpeakerTurn(
                revision=revision,
                index=index,
                speaker=turn.speaker,
                role=SpeakerRole.INTERVIEWER if turn.speaker == "I" else SpeakerRole.PARTICIPANT,
                start=turn.start,
                end=turn.end,
            )
            for index, turn in enumerate(detect_turns(revision.text))
        )
        revision.transcript.current_revision = revision
        revision.transcript.save(update_fields=["current_revision"])


def revision_for(interview: Interview, text: str = SAMPLE_TEXT) -> TranscriptRevision:
    return RevisionFactory(transcript=Transcript.objects.create(interview=interview), text=text)


class CodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Code

    study = factory.SubFactory(StudyFactory)
    name = factory.Sequence(lambda n: f"Code {n}")
    definition = "What this code captures."


class CodingSessionFactory(factory.django.DjangoModelFactory):
    """A session; `coders=[...]` and `transcripts=[...]` set who codes what."""

    class Meta:
        model = CodingSession
        skip_postgeneration_save = True

    study = factory.SubFactory(StudyFactory)
    name = factory.Sequence(lambda n: f"Round {n}")
    mode = SessionMode.BLIND
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def coders(session, create, extracted, **kwargs):
        if create and extracted:
            session.coders.set(extracted)

    @factory.post_generation
    def transcripts(session, create, extracted, **kwargs):
        if create and extracted:
            session.transcripts.set(extracted)


class CodingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coding

    revision = factory.SubFactory(RevisionFactory)
    study = factory.LazyAttribute(lambda coding: coding.revision.transcript.interview.study)
    code = factory.SubFactory(CodeFactory, study=factory.SelfAttribute("..study"))
    coded_as = factory.SelfAttribute("code")
    coder = factory.SubFactory(UserFactory)
    start = 0
    end = 10


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingRecord

    study = factory.SubFactory(StudyFactory)
    date = dt.date(2026, 4, 1)
    title = factory.Sequence(lambda n: f"Analytic meeting {n}")
    created_by = factory.SubFactory(UserFactory)


class ThemeFactory(factory.django.DjangoModelFactory):
    """An overarching theme; pass `parent` (and level=ThemeLevel.CONSTITUENT) for a constituent."""

    class Meta:
        model = Theme
        skip_postgeneration_save = True

    study = factory.SubFactory(StudyFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")
    level = factory.LazyAttribute(
        lambda theme: ThemeLevel.CONSTITUENT if theme.parent else ThemeLevel.OVERARCHING
    )
    parent = None

    @factory.post_generation
    def codes(theme, create, extracted, **kwargs):
        if create and extracted:
            theme.codes.set(extracted)
