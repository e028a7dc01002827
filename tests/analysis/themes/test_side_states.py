"""Each side of a dyad is present, absent, not coded or not interviewed for a constituent,
in the matrix, the dual-perspective view and waves alike: a side nobody has coded is
never shown as one where the constituent is absent."""

import pytest

from analysis.coding.models import SessionMode, SessionState
from analysis.themes.selectors.dual import dual_perspective
from analysis.themes.selectors.matrix import MatrixFilters, cell_states, dyad_matrix
from analysis.themes.selectors.source import CodingSource, SideState, coded_interviews
from analysis.themes.selectors.waves import study_waves
from dyads.models import ParticipantRole
from tests import factories
from tests.analysis.theme_setup import side_state_study

PRESENT, ABSENT = SideState.PRESENT, SideState.ABSENT
NOT_CODED, NOT_INTERVIEWED = SideState.NOT_CODED, SideState.NOT_INTERVIEWED


@pytest.fixture
def world(cast):
    return side_state_study(cast)


def states(user, study, **filters) -> dict[tuple[str, str], tuple[SideState, SideState]]:
    matrix = dyad_matrix(user=user, study=study, filters=MatrixFilters(**filters))
    return {
        (row.dyad.label, cell.theme.theme.name): (cell.client_state, cell.therapist_state)
        for row in matrix.rows
        for cell in row.cells
    }


def d1_transcript(world):
    return world.base.interviews["D1"].transcript


@pytest.mark.parametrize("source", list(CodingSource))
def test_each_side_of_each_cell_has_one_of_the_four_states(cast, world, source):
    found = states(cast.owner, cast.study, source=source)

    assert found[("Dyad 1", "Safety")] == (PRESENT, PRESENT)
    assert found[("Dyad 1", "Hope")] == (ABSENT, ABSENT)
    assert found[("Dyad 2", "Safety")] == (NOT_CODED, PRESENT)
    assert found[("Dyad 2", "Hope")] == (NOT_CODED, ABSENT)
    assert found[("Dyad 3", "Safety")] == (NOT_INTERVIEWED, NOT_INTERVIEWED)


def test_a_present_side_keeps_its_count(cast, world):
    matrix = dyad_matrix(user=cast.owner, study=cast.study)

    cell = next(c for c in matrix.rows[0].cells if c.theme.theme == world.base.safety)
    assert (cell.client, cell.therapist) == (1, 2)
    assert (cell.client_state, cell.therapist_state) == (PRESENT, PRESENT)


@pytest.mark.parametrize("source", list(CodingSource))
def test_a_closed_session_codes_its_transcripts_even_where_it_found_nothing(cast, world, source):
    factories.CodingSessionFactory(
        study=cast.study,
        state=SessionState.CLOSED,
        coders=[cast.analyst, cast.owner],
        transcripts=[d1_transcript(world)],
    )

    found = states(cast.owner, cast.study, source=source)

    assert found[("Dyad 2", "Safety")] == (ABSENT, PRESENT)
    assert found[("Dyad 2", "Hope")] == (ABSENT, ABSENT)


def test_an_open_sessions_codings_code_a_transcript_only_for_those_who_may_see_them(cast, world):
    coder = factories.UserFactory()
    factories.MembershipFactory(study=cast.study, user=coder, role="analyst")
    session = factories.CodingSessionFactory(
        study=cast.study,
        mode=SessionMode.BLIND,
        coders=[coder],
        transcripts=[d1_transcript(world)],
    )
    factories.CodingFactory(
        revision=d1_transcript(world).current_revision,
        code=world.base.codes["A"],
        coder=coder,
        session=session,
    )

    consensus = states(coder, cast.study)
    own = states(coder, cast.study, source=CodingSource.ALL)
    hidden = states(cast.analyst, cast.study, source=CodingSource.ALL)
    supervised = states(cast.owner, cast.study, source=CodingSource.ALL)

    assert consensus[("Dyad 2", "Safety")][0] == NOT_CODED  # an open session adds nothing
    assert own[("Dyad 2", "Safety")][0] == PRESENT
    assert own[("Dyad 2", "Hope")][0] == ABSENT
    assert hidden[("Dyad 2", "Hope")][0] == NOT_CODED  # blind: not "absent" either
    assert supervised[("Dyad 2", "Hope")][0] == ABSENT


def test_one_uncoded_transcript_makes_a_side_without_passages_not_coded(cast, world):
    client = world.base.dyad1.client
    factories.revision_for(factories.InterviewFactory(participant=client, sequence_number=3))

    found = states(cast.owner, cast.study)

    assert found[("Dyad 1", "Hope")] == (NOT_CODED, ABSENT)
    assert found[("Dyad 1", "Safety")] == (PRESENT, PRESENT)  # passages are present anyway


def test_the_interviews_filter_decides_which_transcripts_a_side_has(cast, world):
    later = states(cast.owner, cast.study, interviews="later")
    first = states(cast.owner, cast.study, interviews="first")

    assert later[("Dyad 2", "Hope")] == (NOT_INTERVIEWED, ABSENT)  # D1 is a first interview
    assert first[("Dyad 2", "Hope")] == (NOT_CODED, ABSENT)
    assert first[("Dyad 1", "Hope")] == (ABSENT, ABSENT)


def test_a_deleted_coding_leaves_its_transcript_not_coded(cast, world):
    revision = world.base.interviews["T3"].transcript.current_revision
    revision.codings.update(deleted_at="2026-05-01T00:00:00Z")

    found = states(cast.owner, cast.study)

    assert found[("Dyad 2", "Hope")] == (NOT_CODED, NOT_CODED)  # though T1 is coded
    assert found[("Dyad 1", "Hope")] == (ABSENT, ABSENT)  # T3 is not dyad 1's
    assert coded_interviews(user=cast.owner, study=cast.study, source=CodingSource.CONSENSUS) == {
        world.base.interviews[key].pk for key in ("T1", "T2", "C1", "C2")
    }


@pytest.mark.parametrize("source", list(CodingSource))
def test_which_interviews_are_coded_is_one_query(cast, world, source, django_assert_num_queries):
    with django_assert_num_queries(1):
        coded = coded_interviews(user=cast.analyst, study=cast.study, source=source)

    assert world.base.interviews["D1"].pk not in coded
    assert world.base.interviews["C1"].pk in coded


def test_the_dual_view_gives_each_side_its_state(cast, world):
    dyad2 = dual_perspective(
        user=cast.owner, study=cast.study, dyad_id=world.base.dyad2.pk, theme_id=world.hope.pk
    )
    dyad1 = dual_perspective(
        user=cast.owner,
        study=cast.study,
        dyad_id=world.base.dyad1.pk,
        code_id=world.base.codes["A"].pk,
    )

    assert (dyad2.client_state, dyad2.therapist_state) == (NOT_CODED, ABSENT)
    assert (dyad2.client_coverage.transcripts, dyad2.client_coverage.uncoded) == (1, 1)
    assert dyad2.a_side_not_coded
    assert (dyad1.client_state, dyad1.therapist_state) == (PRESENT, PRESENT)
    assert (len(dyad1.client), len(dyad1.therapist)) == (1, 2)


def test_waves_call_an_interview_coded_as_the_matrix_does(cast, world):
    factories.CodingSessionFactory(
        study=cast.study, state=SessionState.CLOSED, transcripts=[d1_transcript(world)]
    )

    waves = study_waves(user=cast.owner, study=cast.study)

    hope = next(item for item in waves.themes if item.theme.theme == world.hope)
    dyad2_client = next(
        row
        for row in hope.rows
        if row.dyad == world.base.dyad2 and row.role == ParticipantRole.CLIENT
    )
    assert dyad2_client.cells[0].state == "absent"


def test_a_convergence_mark_is_checked_against_the_consensus_layer(cast, world):
    assert cell_states(study=cast.study, dyad=world.base.dyad2, theme=world.base.safety) == {
        ParticipantRole.CLIENT: NOT_CODED,
        ParticipantRole.THERAPIST: PRESENT,
    }
