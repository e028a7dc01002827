"""Prevalence of each constituent and side: "n of N dyads, n of N participants", present
counts only, with the dyads not coded said apart."""

from hypothesis import given
from hypothesis import strategies as st

from analysis.themes.report.results_report import results_docx, results_report
from analysis.themes.report.support import prevalence_text
from analysis.themes.selectors.source import SideState
from dyads.models import ParticipantRole
from tests.analysis.theme_setup import side_state_study
from tests.analysis.themes.test_results_report import docx_text


def test_each_side_counts_the_dyads_and_the_participants_where_it_is_present(cast):
    setup = side_state_study(cast)

    report = results_report(study=cast.study)

    safety = next(theme for theme in report.constituents if theme.name == "Safety")
    # clients: dyad 1 present, dyad 2 not coded, dyad 3 not interviewed (3 clients);
    # therapists: dyads 1 and 2 share one therapist (present), dyad 3 has another.
    assert (
        safety.client_prevalence == "Prevalence: 1 of 3 dyads, 1 of 3 clients (1 dyad not coded)."
    )
    assert safety.therapist_prevalence == "Prevalence: 2 of 3 dyads, 1 of 2 therapists."
    hope = next(theme for theme in report.constituents if theme.name == "Hope")
    assert hope.therapist_prevalence == "Prevalence: 0 of 3 dyads, 0 of 2 therapists."
    assert setup.dyad3.therapist_id != setup.base.dyad1.therapist_id


def test_the_docx_prints_the_prevalence_under_each_perspective(cast):
    side_state_study(cast)

    text = docx_text(results_docx(results_report(study=cast.study)))

    assert "Prevalence: 1 of 3 dyads, 1 of 3 clients (1 dyad not coded)." in text


sides = st.lists(
    st.tuples(st.integers(min_value=1, max_value=4), st.sampled_from(list(SideState))),
    min_size=1,
    max_size=8,
)


@given(sides)
def test_present_counts_never_exceed_their_totals(states):
    text = prevalence_text(ParticipantRole.THERAPIST, states)

    present_dyads = sum(1 for _, state in states if state == SideState.PRESENT)
    people = {who for who, _ in states}
    present_people = {who for who, state in states if state == SideState.PRESENT}
    assert text.startswith(
        f"{present_dyads} of {len(states)} dyad{'s' if len(states) != 1 else ''}, "
        f"{len(present_people)} of {len(people)} therapists"
    )
    not_coded = sum(1 for _, state in states if state == SideState.NOT_CODED)
    assert ("not coded" in text) == bool(not_coded)
