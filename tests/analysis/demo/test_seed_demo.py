"""seed_demo writes a realistic demo study through the services, once."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings

from analysis.coding.models import Code, Coding, CodingSession
from analysis.deliberation.models import Decision, MeetingRecord
from analysis.demo.study import PASSWORD
from analysis.demo.transcripts import replacements
from analysis.themes.models import Theme
from dyads.audit import audit_verify
from dyads.models import AuditEvent, Dyad, Participant, RecruitmentEvent, Study
from interviews.models import GuideQuestion, Interview, SpeakerRole, TranscriptRevision
from interviews.pseudonymise import replacement_pattern
from interviews.turns import detect_turns
from tests import factories


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo study, seeded once for this module and rolled back after it."""
    # Like every test here, hash passwords fast (the conftest does it per test).
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db) -> Study:
    return Study.objects.get(slug="demo")


def test_it_creates_the_study_with_its_ethics_approval(demo):
    assert demo.title == "Therapist and client experiences of helpful psychotherapy"
    assert demo.ethics_approval_reference == "REK 2026/4711"
    assert demo.sites.count() >= 2


def test_it_creates_at_least_six_dyads_of_a_therapist_and_a_client(demo):
    dyads = Dyad.objects.filter(study=demo)

    assert dyads.count() >= 6
    assert all(d.therapist.role == "therapist" and d.client.role == "client" for d in dyads)


def test_it_gives_every_participant_their_attributes(demo):
    for participant in Participant.objects.filter(study=demo):
        assert participant.gender and participant.age and participant.profession
        assert participant.attributes
        if participant.role == "therapist":
            assert participant.theoretical_orientation
        else:
            assert participant.presenting_problems


def test_therapists_have_four_interviews_and_clients_two_or_one_combined(demo):
    interviews = Interview.objects.filter(study=demo)
    counts = {
        row["participant__pseudonym"]: (row["participant__role"], row["n"])
        for row in interviews.values("participant__pseudonym", "participant__role").annotate(
            n=Count("id")
        )
    }

    assert {n for role, n in counts.values() if role == "therapist"} == {4}
    assert {n for role, n in counts.values() if role == "client"} == {1, 2}
    combined = interviews.get(focus="both")
    assert counts[combined.participant.pseudonym] == ("client", 1)


def test_therapists_talk_about_their_background_first_and_this_therapy_later(demo):
    for interview in Interview.objects.filter(study=demo, participant__role="therapist"):
        expected = "background" if interview.sequence_number <= 2 else "therapy"
        assert interview.focus == expected
    timings = set(Interview.objects.filter(study=demo).values_list("timing", flat=True))
    assert timings == {"during", "after"}


def test_every_interview_has_a_transcript_with_speaker_turns(demo):
    for interview in Interview.objects.filter(study=demo).select_related("transcript"):
        revision = interview.transcript.current_revision
        turns = list(revision.turns.all())
        assert len(turns) >= 6
        assert {turn.role for turn in turns} == {SpeakerRole.INTERVIEWER, SpeakerRole.PARTICIPANT}
        assert [(t.start, t.end) for t in turns] == [
            (t.start, t.end) for t in detect_turns(revision.text)
        ]


def test_the_transcripts_read_differently(demo):
    texts = list(
        TranscriptRevision.objects.filter(transcript__interview__study=demo).values_list(
            "text", flat=True
        )
    )

    assert len(set(texts)) == len(texts)
    assert len({text.split("\n", 1)[0] for text in texts}) > len(texts) // 3


def test_the_sample_transcripts_are_stored_for_dyads_three_and_five(demo):
    sources = set(
        TranscriptRevision.objects.filter(transcript__interview__study=demo).values_list(
            "source_name", flat=True
        )
    )

    assert {
        "dyad03_therapist_interview3.txt",
        "dyad03_client_interview2.txt",
        "dyad05_client_interview1.vtt",
    } <= sources


def test_no_real_name_from_the_replacement_list_remains_in_any_transcript(demo):
    real_names = replacement_pattern(original for original, _ in replacements())
    revisions = TranscriptRevision.objects.filter(transcript__interview__study=demo)

    for revision in revisions.prefetch_related("turns"):
        assert not real_names.search(revision.text), revision.source_name
        assert not revision.original_text
        for turn in revision.turns.all():
            assert not real_names.search(turn.speaker)
    for text in Interview.objects.filter(study=demo).values_list("notes", flat=True):
        assert not real_names.search(text)


def test_it_records_the_recruitment_including_a_drop_out_with_its_reason(demo):
    steps = set(RecruitmentEvent.objects.filter(study=demo).values_list("step", flat=True))
    dropout = RecruitmentEvent.objects.get(study=demo, step="dropped_out")

    assert {"site_asked", "therapist_nominated", "recruited", "dropped_out"} <= steps
    assert dropout.reason


def test_it_tailors_some_guide_questions_to_one_participant(demo):
    tailored = GuideQuestion.objects.filter(guide__study=demo, participant__isnull=False)

    assert tailored.exists()
    assert GuideQuestion.objects.filter(guide__study=demo, participant__isnull=True).count() >= 10


def test_the_codebook_has_at_least_fifteen_codes_in_two_levels(demo):
    codes = Code.objects.filter(study=demo)
    children = codes.filter(parent__isnull=False)

    assert codes.count() >= 15
    assert codes.filter(parent__isnull=True).count() >= 5
    assert not children.filter(parent__parent__isnull=False).exists()
    for code in children:
        assert code.definition and code.inclusion_criteria and code.exclusion_criteria
        assert code.example and code.colour.startswith("#")
    assert Decision.objects.filter(study=demo, code__isnull=False).count() >= codes.count()


def test_two_coders_code_the_same_transcripts_blind(demo):
    session = CodingSession.objects.filter(study=demo, codings__isnull=False).distinct().get()
    codings = Coding.objects.filter(session=session)
    per_coder = codings.values("coder__username").annotate(n=Count("id"))

    assert session.mode == "blind"
    assert set(session.coders.values_list("username", flat=True)) == {"analyst1", "analyst2"}
    assert {row["coder__username"] for row in per_coder} == {"analyst1", "analyst2"}
    transcripts = codings.values("revision").distinct().count()
    assert transcripts >= 5
    for row in per_coder:
        assert 15 * transcripts <= row["n"] <= 40 * transcripts


def test_the_coders_agree_in_places_and_disagree_in_others(demo):
    codings = Coding.objects.filter(study=demo)
    first = set(codings.filter(coder__username="analyst1").values_list("revision", "code", "start"))
    second = set(
        codings.filter(coder__username="analyst2").values_list("revision", "code", "start")
    )

    assert first & second
    assert first - second and second - first


def test_codings_lie_on_a_participant_turn_and_end_at_a_sentence(demo):
    codings = Coding.objects.filter(study=demo).select_related("revision")
    for coding in codings:
        text = coding.revision.text
        turn = coding.revision.turns.get(start__lte=coding.start, end__gt=coding.start)
        assert turn.role == SpeakerRole.PARTICIPANT
        assert coding.end <= turn.end
        assert text[coding.end - 1] in ".!?)", text[coding.start : coding.end]


def test_it_records_two_meetings_and_one_overarching_theme_with_three_constituents(demo):
    overarching = Theme.objects.get(study=demo, level="overarching")
    constituents = overarching.children.all()

    assert MeetingRecord.objects.filter(study=demo).count() == 2
    assert constituents.count() == 3
    for theme in constituents:
        assert theme.client_description and theme.therapist_description
        assert theme.codes.exists()


def test_every_row_it_wrote_has_its_audit_event_and_the_chain_verifies(demo):
    events = AuditEvent.objects.filter(study=demo)

    assert (
        events.filter(action="coding.create").count() == Coding.objects.filter(study=demo).count()
    )
    assert (
        events.filter(action="interview.create").count()
        == Interview.objects.filter(study=demo).count()
    )
    assert (
        events.filter(action="decision.record").count()
        == Decision.objects.filter(study=demo).count()
    )
    assert audit_verify(study=demo).intact
    out = StringIO()
    call_command("verify_audit", "--study", "demo", stdout=out)
    assert out.getvalue() == f"Audit chain of demo intact: {events.count()} events\n"


def test_it_creates_the_demo_users_with_the_demo_password(demo):
    users = get_user_model().objects.filter(
        username__in=["owner", "analyst1", "analyst2", "auditor", "interviewer"]
    )

    assert users.count() == 5
    assert all(user.check_password(PASSWORD) for user in users)
    owner = users.get(username="owner")
    assert owner.is_staff and owner.is_superuser
    assert not users.filter(is_superuser=True).exclude(username="owner").exists()


def test_it_prints_the_logins(seeded):
    assert "Sign in on the served site" in seeded
    assert PASSWORD in seeded
    for username in ("owner", "analyst1", "analyst2", "auditor", "interviewer"):
        assert username in seeded


def row_counts() -> dict[str, int]:
    models = (Study, Dyad, Interview, Code, Coding, AuditEvent, get_user_model())
    return {model.__name__: model.objects.count() for model in models}


def test_running_it_again_changes_nothing(demo):
    before = row_counts()
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert row_counts() == before
    assert "already exists; nothing to do" in out.getvalue()


def test_it_prints_the_address_it_is_given_to_sign_in(db):
    if not Study.objects.filter(slug="demo").exists():
        factories.StudyFactory(slug="demo")
    out = StringIO()

    call_command("seed_demo", "--url", "http://127.0.0.1:8123/", stdout=out)

    assert "Open http://127.0.0.1:8123/ and sign in" in out.getvalue()
    assert "8000" not in out.getvalue()
