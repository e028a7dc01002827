"""The dyad × constituent matrix: for each dyad and constituent, how many codings of the
constituent's codes the client's and the therapist's interviews hold."""

import pytest
from django.db.models import F

from analysis.agreement.selectors.consensus import consensus_codings
from analysis.coding.models import Coding
from analysis.themes.models import ConvergenceMark, ConvergenceVerdict, Theme, ThemeLevel
from analysis.themes.selectors.matrix import InterviewWave, MatrixFilters, dyad_matrix
from analysis.themes.selectors.source import CodingSource
from dyads.exceptions import DomainError
from dyads.models import Dyad, ParticipantRole
from interviews.models import TranscriptRevision
from tests import factories
from tests.analysis.theme_setup import side_interviews, theme_study

ALL = MatrixFilters(source=CodingSource.ALL)


def cells(matrix) -> dict[tuple[str, str], tuple[int, int]]:
    return {
        (row.dyad.label, cell.theme.theme.name): (cell.client, cell.therapist)
        for row in matrix.rows
        for cell in row.cells
    }


def direct_count(dyad: Dyad, theme: Theme, role: str) -> int:
    """The codings of the theme's own codes on one side of the dyad, counted row by row."""
    return sum(
        1
        for coding in Coding.objects.filter(
            deleted_at__isnull=True,
            revision__transcript__current_revision=F("revision"),
            revision__transcript__interview__in=side_interviews(dyad, role),
        )
        if coding.code_id in set(theme.codes.values_list("pk", flat=True))
    )


def test_on_the_demo_study_every_cell_equals_a_direct_count_of_codings(demo_study, demo_owner):
    matrix = dyad_matrix(user=demo_owner, study=demo_study, filters=ALL)

    constituents = Theme.objects.filter(study=demo_study, level=ThemeLevel.CONSTITUENT)
    assert [node.theme for node in matrix.constituents] == list(constituents.order_by("position"))
    assert len(matrix.rows) == Dyad.objects.filter(study=demo_study).count()
    nonzero = 0
    for row in matrix.rows:
        for cell in row.cells:
            expected = (
                direct_count(row.dyad, cell.theme.theme, ParticipantRole.CLIENT),
                direct_count(row.dyad, cell.theme.theme, ParticipantRole.THERAPIST),
            )
            assert (cell.client, cell.therapist) == expected, (row.dyad, cell.theme.theme)
            nonzero += bool(cell.total)
    assert nonzero >= 9


def test_on_the_demo_study_the_default_counts_the_consensus_layer(demo_study, demo_owner):
    matrix = dyad_matrix(user=demo_owner, study=demo_study)

    assert matrix.filters.source == CodingSource.CONSENSUS
    interview_of = dict(
        TranscriptRevision.objects.values_list("pk", "transcript__interview__participant")
    )
    spans = consensus_codings(study=demo_study)
    for row in matrix.rows:
        for cell in row.cells:
            codes = set(cell.theme.theme.codes.values_list("pk", flat=True))
            client = sum(
                1
                for s in spans
                if s.code in codes and interview_of[s.revision] == row.dyad.client_id
            )
            therapist = sum(
                1
                for s in spans
                if s.code in codes and interview_of[s.revision] == row.dyad.therapist_id
            )
            assert (cell.client, cell.therapist) == (client, therapist)
    all_coders = dyad_matrix(user=demo_owner, study=demo_study, filters=ALL)
    assert sum(c.total for r in matrix.rows for c in r.cells) < sum(
        c.total for r in all_coders.rows for c in r.cells
    )


def test_a_cell_says_whose_interviews_support_the_constituent(demo_study, demo_owner):
    matrix = dyad_matrix(user=demo_owner, study=demo_study, filters=ALL)

    presence = {cell.presence for row in matrix.rows for cell in row.cells}
    assert {"both", "client", "neither"} <= presence
    for row in matrix.rows:
        for cell in row.cells:
            assert cell.presence == (
                "both"
                if cell.client and cell.therapist
                else "client"
                if cell.client
                else "therapist"
                if cell.therapist
                else "neither"
            )


def test_a_therapists_background_interview_counts_for_each_of_their_dyads(cast):
    setup = theme_study(cast)

    counts = cells(dyad_matrix(user=cast.analyst, study=cast.study, filters=ALL))

    assert counts[("Dyad 1", "Safety")] == (1, 2)
    assert counts[("Dyad 2", "Safety")] == (0, 2)
    assert counts[("Dyad 1", "Persistence")] == (3, 2)
    assert counts[("Dyad 2", "Persistence")] == (0, 2)
    assert setup.dyad2.therapist == setup.dyad1.therapist


def test_a_constituent_stands_on_its_own_codes_and_its_constituents_codes_once(cast):
    theme_study(cast)

    counts = cells(dyad_matrix(user=cast.analyst, study=cast.study, filters=ALL))

    # Persistence links B; its constituent Irritation links B and C: each coding counts once.
    assert counts[("Dyad 1", "Persistence")] == counts[("Dyad 1", "Irritation")] == (3, 2)


def test_first_and_later_interviews_are_counted_apart(cast):
    theme_study(cast)

    def count(wave):
        filters = MatrixFilters(source=CodingSource.ALL, interviews=wave)
        return cells(dyad_matrix(user=cast.analyst, study=cast.study, filters=filters))

    first, later = count(InterviewWave.FIRST), count(InterviewWave.LATER)
    assert first[("Dyad 1", "Safety")] == (1, 2)
    assert later[("Dyad 1", "Safety")] == (0, 0)
    assert first[("Dyad 1", "Persistence")] == (1, 1)
    assert later[("Dyad 1", "Persistence")] == (2, 1)


def test_it_filters_and_sorts_the_dyads_by_participant_attributes(cast):
    setup = theme_study(cast)
    site = factories.SiteFactory(study=cast.study, name="Aker")
    Dyad.objects.filter(pk=setup.dyad2.pk).update(site=site)

    def labels(**filters):
        matrix = dyad_matrix(
            user=cast.analyst, study=cast.study, filters=MatrixFilters.from_query(filters)
        )
        return [row.dyad.label for row in matrix.rows]

    assert labels() == ["Dyad 1", "Dyad 2"]
    assert labels(client_gender="male") == ["Dyad 2"]
    assert labels(client_gender="female") == ["Dyad 1"]
    assert labels(site=str(site.pk)) == ["Dyad 2"]
    assert labels(orientation="psychodynamic") == ["Dyad 1", "Dyad 2"]
    assert labels(orientation="systemic") == []
    assert labels(sort="client_gender") == ["Dyad 1", "Dyad 2"]  # female before male
    assert labels(sort="site") == ["Dyad 2", "Dyad 1"]  # a dyad without a site comes last


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("interviews", "middle"), ("sort", "age"), ("site", "Oslo"), ("source", "mine")],
)
def test_a_bad_filter_is_refused_naming_its_parameter(parameter, value):
    with pytest.raises(DomainError) as raised:
        MatrixFilters.from_query({parameter: value})

    assert parameter in raised.value.detail
    assert value in raised.value.detail[parameter]


def test_the_matrix_shows_the_convergence_marks(cast):
    setup = theme_study(cast)
    ConvergenceMark.objects.create(
        study=cast.study,
        dyad=setup.dyad1,
        theme=setup.safety,
        verdict=ConvergenceVerdict.DIVERGE,
        note="She felt safe; he felt tested.",
        marked_by=cast.analyst,
    )

    matrix = dyad_matrix(user=cast.analyst, study=cast.study)

    marks = {
        (row.dyad.label, cell.theme.theme.name): cell.mark
        for row in matrix.rows
        for cell in row.cells
    }
    assert marks[("Dyad 1", "Safety")].verdict == ConvergenceVerdict.DIVERGE
    assert marks[("Dyad 2", "Safety")] is None


def test_an_analyst_does_not_see_another_coders_codings_in_an_open_blind_session(cast):
    setup = theme_study(cast)
    other = factories.UserFactory(username="analyst2")
    session = factories.CodingSessionFactory(study=cast.study, created_by=cast.owner)
    session.coders.set([cast.analyst, other])
    factories.CodingFactory(
        revision=cast.revision, code=setup.codes["A"], coder=other, session=session, start=1, end=5
    )

    as_analyst = cells(dyad_matrix(user=cast.analyst, study=cast.study, filters=ALL))
    as_owner = cells(dyad_matrix(user=cast.owner, study=cast.study, filters=ALL))

    assert as_analyst[("Dyad 1", "Safety")] == (1, 2)
    assert as_owner[("Dyad 1", "Safety")] == (2, 2)


@pytest.mark.parametrize("source", list(CodingSource))
def test_the_matrix_takes_a_fixed_number_of_queries(cast, source, django_assert_max_num_queries):
    theme_study(cast)
    for number in range(3, 8):
        factories.DyadFactory(study=cast.study, label=f"Dyad {number}")

    with django_assert_max_num_queries(12):
        matrix = dyad_matrix(
            user=cast.analyst, study=cast.study, filters=MatrixFilters(source=source)
        )
        [cell.mark for row in matrix.rows for cell in row.cells]
