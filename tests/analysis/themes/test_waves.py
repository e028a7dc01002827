"""Waves: a constituent across each participant's interviews in order, where an interview
never held is missing, not an absent theme."""

from analysis.themes.selectors.source import CodingSource
from analysis.themes.selectors.waves import study_waves
from tests import factories
from tests.analysis.theme_setup import theme_study


def states(waves, theme_name: str) -> dict[tuple[str, str], list[tuple[str, int]]]:
    item = next(item for item in waves.themes if item.theme.theme.name == theme_name)
    return {
        (row.dyad.label, row.role.value): [(cell.state, cell.count) for cell in row.cells]
        for row in item.rows
    }


def test_each_participants_interviews_are_shown_in_order_with_the_missing_ones_marked(cast):
    setup = theme_study(cast)
    factories.InterviewFactory(participant=setup.dyad2.client, dyad=setup.dyad2, sequence_number=2)

    waves = study_waves(user=cast.analyst, study=cast.study, source=CodingSource.ALL)

    assert waves.numbers == [1, 2, 3]
    safety = states(waves, "Safety")
    assert safety[("Dyad 1", "client")] == [("present", 1), ("absent", 0), ("missing", 0)]
    assert safety[("Dyad 1", "therapist")] == [("present", 2), ("absent", 0), ("missing", 0)]
    assert safety[("Dyad 2", "client")] == [("uncoded", 0), ("untranscribed", 0), ("missing", 0)]
    assert safety[("Dyad 2", "therapist")] == [("present", 2), ("missing", 0), ("absent", 0)]


def test_the_summary_counts_only_interviews_that_were_held_and_coded(cast):
    theme_study(cast)

    waves = study_waves(user=cast.analyst, study=cast.study, source=CodingSource.ALL)

    item = next(item for item in waves.themes if item.theme.theme.name == "Persistence")
    summary = {s.role.value: s.cells for s in item.summaries}
    # Clients: #1 coded in dyad 1 only (dyad 2's is uncoded), #2 in dyad 1; nobody has a #3.
    assert summary["client"] == [(1, 1), (1, 1), (0, 0)]
    # The therapist's background interview counts in both dyads' rows.
    assert summary["therapist"] == [(2, 2), (1, 1), (1, 1)]


def test_waves_take_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    theme_study(cast)
    for number in range(3, 8):
        factories.DyadFactory(study=cast.study, label=f"Dyad {number}")

    with django_assert_max_num_queries(8):
        study_waves(user=cast.analyst, study=cast.study, source=CodingSource.ALL)
