"""The participants and recruitment tables of the methods section: counts by role and
gender, age range with mode and median, professions, orientations, presenting problems,
and the recruitment flow."""

import statistics

import pytest

from analysis.themes.selectors.participants_tables import NumberSummary, participants_tables
from dyads.models import Participant, ParticipantRole, RecruitmentStep
from tests import factories


@pytest.mark.parametrize(
    ("ages", "low", "high", "modes", "median"),
    [
        ([34, 29, 41, 29, 50], 29, 50, [29], 34),  # one mode, odd count
        ([30, 30, 40, 40, 52, 61], 30, 61, [30, 40], 40),  # a tie for the mode, even count
        ([26, 48, 33, 34], 26, 48, [], 33.5),  # every age differs: no mode; even count
        ([45], 45, 45, [45], 45),  # one participant
        ([40, 40, 40, 41], 40, 41, [40], 40),
    ],
)
def test_ages_are_summarised_with_range_modes_and_median(ages, low, high, modes, median):
    summary = NumberSummary.of(ages)

    assert (summary.minimum, summary.maximum, summary.modes, summary.median) == (
        low,
        high,
        modes,
        median,
    )
    assert summary.median == statistics.median(ages)


def test_the_summary_is_written_as_a_methods_table_says_it():
    assert NumberSummary.of([30, 30, 40, 40, 52, 61]).modes_text == "30 and 40"
    assert NumberSummary.of([26, 48, 33, 34]).median_text == "33.5"
    assert NumberSummary.of([26, 48, 33, 34]).modes_text == "none (every value differs)"
    assert NumberSummary.of([26, 48]).range_text == "26–48"
    assert NumberSummary.of([]).range_text == "—"


def test_on_the_demo_study_the_tables_describe_the_participants(demo_study):
    tables = participants_tables(study=demo_study)

    therapists, clients = tables.roles
    people = Participant.objects.filter(study=demo_study)
    for row in (therapists, clients):
        ages = sorted(people.filter(role=row.role).values_list("age", flat=True))
        assert row.total == len(ages) == 6
        assert (row.ages.minimum, row.ages.maximum) == (ages[0], ages[-1])
        assert row.ages.median == (ages[2] + ages[3]) / 2  # an even count: the two middle ones
        assert row.ages.modes == []  # no two demo participants of a role share an age
    assert (therapists.ages.range_text, therapists.ages.median_text) == ("36–58", "46")
    assert (clients.ages.range_text, clients.ages.median_text) == ("26–48", "33.5")
    assert tables.genders == ["female", "male"]
    assert tables.gender_rows == [("Female", [4, 4]), ("Male", [2, 2])]
    assert tables.professions[ParticipantRole.THERAPIST].items[0] == ("Psychologist", 4)
    assert ("psychodynamic", 2) in tables.orientations.items
    assert ("Depression", 3) in tables.presenting_problems.items


def test_on_the_demo_study_the_recruitment_flow_keeps_the_reasons(demo_study):
    flow = participants_tables(study=demo_study).recruitment

    steps = {row.step: (row.therapists, row.clients, row.total) for row in flow.steps}
    assert steps[RecruitmentStep.SITE_ASKED][2] == 3
    assert steps[RecruitmentStep.THERAPIST_NOMINATED][0] == 7
    assert steps[RecruitmentStep.RECRUITED] == (6, 7, 13)
    assert [role for role, _ in flow.dropped_out] == ["client"]
    assert "moved to another town" in flow.dropped_out[0][1]
    assert len(flow.declined) == 2
    assert (flow.therapy_sessions.range_text, flow.therapy_sessions.median_text) == ("16–30", "22")


def test_participants_without_a_gender_or_age_are_counted_as_not_reported(cast):
    factories.ParticipantFactory(study=cast.study, gender="", age=None)
    factories.ParticipantFactory(study=cast.study, gender="Non-binary", age=34)

    tables = participants_tables(study=cast.study)

    assert tables.genders == ["female", "Non-binary", ""]
    assert tables.gender_rows[-1] == ("Gender not reported", [0, 1])
    clients = tables.roles[1]
    assert (clients.total, clients.age_not_reported) == (3, 1)
    assert clients.ages.modes == [34]


def test_the_tables_take_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    for _ in range(5):
        factories.DyadFactory(study=cast.study)

    with django_assert_max_num_queries(4):
        participants_tables(study=cast.study)
