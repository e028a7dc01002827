"""A closed session's unresolved disagreements, sorted by code or size, go onto an
analytic meeting's agenda in one action, once."""

import pytest

from analysis.agreement.models import AgendaDisagreement, ResolutionKind
from analysis.agreement.selectors.disagreements import disagreement_queue, session_passages
from analysis.agreement.services.adjudication import disagreement_resolve, disagreements_to_agenda
from analysis.coding.models import SessionState
from analysis.deliberation.models import MeetingRecord
from dyads.exceptions import DomainError, Forbidden
from dyads.models import AuditEvent
from tests import factories
from tests.analysis.agreement_setup import double_coded, settle_every_disagreement


@pytest.fixture
def setup(cast):
    return double_coded(cast)


@pytest.fixture
def meeting(cast):
    return factories.MeetingFactory(
        study=cast.study, title="Coding meeting", agenda="1. Welcome", created_by=cast.owner
    )


def queue(setup, **options) -> list[tuple]:
    found = session_passages(session=setup.session)
    return [(v.code.name, v.start, v.end) for v in disagreement_queue(found, **options)]


def test_the_queue_sorts_by_size_by_code_or_by_position(setup):
    assert queue(setup) == [("A", 68, 110), ("A", 5, 30), ("B", 80, 95)]
    assert queue(setup, order="code") == [("A", 68, 110), ("A", 5, 30), ("B", 80, 95)]
    assert queue(setup, order="position") == [("A", 5, 30), ("A", 68, 110), ("B", 80, 95)]


def test_the_queue_filters_by_code_and_by_state(setup, cast):
    disagreement_resolve(
        actor=cast.owner,
        session=setup.session,
        revision=setup.revision,
        code=setup.a,
        start=5,
        end=30,
        kind=ResolutionKind.NEITHER,
        reason="The interviewer's words.",
    )

    assert queue(setup, code=str(setup.b.pk)) == [("B", 80, 95)]
    assert queue(setup) == [("A", 68, 110), ("B", 80, 95)]
    assert queue(setup, state="resolved") == [("A", 5, 30)]
    assert len(queue(setup, state="all")) == 3


def test_the_queue_filters_by_transcript_and_by_pair_of_coders(setup, cast):
    third = factories.UserFactory(username="analyst3")
    setup.session.coders.add(third)
    # The third coder codes B as the second did and A nowhere.
    for start, end in [(153, 180), (80, 95)]:
        factories.CodingFactory(
            revision=setup.revision,
            code=setup.b,
            coder=third,
            session=setup.session,
            start=start,
            end=end,
        )
    other = factories.revision_for(
        factories.InterviewFactory(participant=cast.dyad.client, sequence_number=2)
    )
    setup.session.transcripts.add(other.transcript)

    assert len(queue(setup, transcript=str(setup.revision.transcript_id))) == 3
    assert queue(setup, transcript=str(other.transcript_id)) == []
    assert queue(setup, pair="analyst2,analyst3") == [("A", 68, 110)]
    assert ("B", 80, 95) in queue(setup, pair="analyst,analyst3")


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"order": "age"}, "order"),
        ({"state": "late"}, "state"),
        ({"code": "x"}, "code"),
        ({"transcript": "x"}, "transcript"),
        ({"pair": "analyst,nobody"}, "pair"),
    ],
)
def test_a_bad_queue_option_is_refused_naming_it(setup, options, field):
    with pytest.raises(DomainError) as refused:
        queue(setup, **options)
    assert field in refused.value.detail


def test_one_action_puts_every_unresolved_disagreement_on_the_agenda(setup, cast, meeting):
    items = disagreements_to_agenda(actor=setup.first, session=setup.session, meeting=meeting)

    assert sorted((i.code.name, i.start, i.end) for i in items) == [
        ("A", 5, 30),
        ("A", 68, 110),
        ("B", 80, 95),
    ]
    meeting.refresh_from_db()
    assert meeting.version == 2
    assert meeting.agenda.startswith("1. Welcome\nDisagreements from coding session")
    assert "- 'A' in " in meeting.agenda and "characters 68-110" in meeting.agenda
    event = AuditEvent.objects.get(action="meeting.agenda_add")
    assert event.old_value == {"agenda": "1. Welcome"}
    assert len(event.new_value["disagreements"]) == 3
    assert [
        e.title for v in session_passages(session=setup.session).disagreements for e in v.agenda
    ] == ["Coding meeting"] * 3


def test_putting_them_on_the_agenda_again_adds_nothing(setup, meeting):
    disagreements_to_agenda(actor=setup.first, session=setup.session, meeting=meeting)
    events = AuditEvent.objects.count()

    assert disagreements_to_agenda(actor=setup.first, session=setup.session, meeting=meeting) == []
    assert AgendaDisagreement.objects.count() == 3
    assert AuditEvent.objects.count() == events


def test_chosen_disagreements_or_one_codes_go_on_the_agenda(setup, meeting):
    chosen = disagreements_to_agenda(
        actor=setup.first,
        session=setup.session,
        meeting=meeting,
        passages=[(setup.revision.pk, setup.a.pk, 5, 30)],
    )
    of_b = disagreements_to_agenda(
        actor=setup.first, session=setup.session, meeting=meeting, code=setup.b
    )

    assert [(i.start, i.end) for i in chosen] == [(5, 30)]
    assert [(i.start, i.end) for i in of_b] == [(80, 95)]


def bad_request(setup, cast, problem):
    options = {"actor": setup.first, "session": setup.session, "meeting": None}
    if problem == "meeting of another study":
        options["meeting"] = factories.MeetingFactory(study=cast.other_study)
    else:
        options["meeting"] = factories.MeetingFactory(study=cast.study, created_by=cast.owner)
    if problem == "not a disagreement":
        options["passages"] = [(setup.revision.pk, setup.b.pk, 153, 180)]
    if problem == "session still open":
        options["session"] = double_coded_open(setup, cast)
    if problem == "auditor":
        options["actor"] = cast.auditor
    return options


def double_coded_open(setup, cast):
    session = factories.CodingSessionFactory(study=cast.study, created_by=cast.owner)
    session.coders.set(setup.coders)
    return session


@pytest.mark.parametrize(
    ("problem", "error", "field"),
    [
        ("meeting of another study", DomainError, "meeting"),
        ("not a disagreement", DomainError, "passages"),
        ("session still open", DomainError, "session"),
        ("auditor", Forbidden, "detail"),
    ],
)
def test_a_bad_agenda_request_is_refused_and_changes_nothing(setup, cast, problem, error, field):
    options = bad_request(setup, cast, problem)
    events = AuditEvent.objects.count()

    with pytest.raises(error) as refused:
        disagreements_to_agenda(**options)

    assert field in refused.value.detail
    assert not AgendaDisagreement.objects.exists()
    assert AuditEvent.objects.count() == events
    assert set(MeetingRecord.objects.values_list("version", flat=True)) == {1}


def test_an_agenda_with_nothing_unresolved_left_is_refused(cast):
    setup = double_coded(cast)
    settle_every_disagreement(setup, cast.owner)
    meeting = factories.MeetingFactory(study=cast.study, created_by=cast.owner)

    with pytest.raises(DomainError, match="no disagreement to put on the agenda"):
        disagreements_to_agenda(actor=setup.first, session=setup.session, meeting=meeting)
    assert setup.session.state == SessionState.CLOSED
