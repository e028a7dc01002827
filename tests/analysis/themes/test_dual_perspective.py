"""The dual-perspective view: one dyad's client excerpts beside its therapist's, for a
constituent or a code, each with its interview number and date."""

import pytest
from django.db.models import F

from analysis.coding.models import Coding
from analysis.themes.models import Theme, ThemeLevel
from analysis.themes.selectors.dual import dual_perspective
from analysis.themes.selectors.source import CodingSource
from dyads.exceptions import NotFound
from dyads.models import Dyad
from tests import factories
from tests.analysis.theme_setup import side_interviews, theme_study


def excerpts_of(dyad: Dyad, codes, role: str) -> set[int]:
    """The codings of these codes in one side's interviews of this dyad, directly."""
    return set(
        Coding.objects.filter(
            deleted_at__isnull=True,
            code__in=codes,
            revision__transcript__current_revision=F("revision"),
            revision__transcript__interview__in=side_interviews(dyad, role),
        ).values_list("pk", flat=True)
    )


def test_on_the_demo_study_it_lists_exactly_the_excerpts_of_the_dyad(demo_study, demo_owner):
    for dyad in Dyad.objects.filter(study=demo_study):
        for theme in Theme.objects.filter(study=demo_study, level=ThemeLevel.CONSTITUENT):
            view = dual_perspective(
                user=demo_owner,
                study=demo_study,
                dyad_id=dyad.pk,
                theme_id=theme.pk,
                source=CodingSource.ALL,
            )
            codes = theme.codes.all()
            assert {e.coding for e in view.client} == excerpts_of(dyad, codes, "client")
            assert {e.coding for e in view.therapist} == excerpts_of(dyad, codes, "therapist")
            assert len(view.client) == len({e.coding for e in view.client})


def test_on_the_demo_study_each_excerpt_has_its_words_interview_number_and_date(
    demo_study, demo_owner
):
    dyad = Dyad.objects.get(study=demo_study, label="Dyad 3")

    view = dual_perspective(
        user=demo_owner, study=demo_study, dyad_id=dyad.pk, source=CodingSource.ALL
    )

    assert view.client and view.therapist
    for excerpt in view.client + view.therapist:
        coding = Coding.objects.select_related("revision__transcript__interview").get(
            pk=excerpt.coding
        )
        interview = coding.revision.transcript.interview
        assert excerpt.text == coding.revision.text[coding.start : coding.end]
        assert (excerpt.interview_number, excerpt.date) == (
            interview.sequence_number,
            interview.date,
        )
    numbers = [(e.interview_number, e.start) for e in view.client]
    assert numbers == sorted(numbers)


def test_on_the_demo_study_the_consensus_passages_cite_a_coding_that_covers_them(
    demo_study, demo_owner
):
    dyad = Dyad.objects.get(study=demo_study, label="Dyad 1")

    view = dual_perspective(user=demo_owner, study=demo_study, dyad_id=dyad.pk)

    assert view.source == CodingSource.CONSENSUS
    assert {e.state for e in view.client + view.therapist} <= {
        "agreed",
        "resolved",
        "unresolved",
        "coding",
    }
    for excerpt in view.client + view.therapist:
        coding = Coding.objects.get(pk=excerpt.coding)
        assert coding.code == excerpt.code
        assert coding.start < excerpt.end and excerpt.start < coding.end


def test_one_code_can_be_read_side_by_side_instead_of_a_theme(cast):
    setup = theme_study(cast)

    view = dual_perspective(
        user=cast.analyst,
        study=cast.study,
        dyad_id=setup.dyad1.pk,
        code_id=setup.codes["C"].pk,
        source=CodingSource.ALL,
    )

    assert view.focus_name == "C"
    assert [e.interview_number for e in view.client] == [2, 2]
    assert [e.interview_number for e in view.therapist] == [2]


def test_the_therapists_background_interview_shows_in_each_of_their_dyads(cast):
    setup = theme_study(cast)

    for dyad in (setup.dyad1, setup.dyad2):
        view = dual_perspective(
            user=cast.analyst,
            study=cast.study,
            dyad_id=dyad.pk,
            theme_id=setup.safety.pk,
            source=CodingSource.ALL,
        )
        assert [e.interview_number for e in view.therapist] == [1, 1]


@pytest.mark.parametrize("focus", ["dyad", "theme", "code"])
def test_another_studys_dyad_theme_or_code_is_not_found(cast, focus):
    setup = theme_study(cast)
    arguments = {"dyad_id": setup.dyad1.pk}
    if focus == "dyad":
        arguments["dyad_id"] = factories.DyadFactory(study=cast.other_study).pk
    elif focus == "theme":
        arguments["theme_id"] = setup.overarching.pk  # not a constituent
    else:
        arguments["code_id"] = factories.CodeFactory(study=cast.other_study).pk

    with pytest.raises(NotFound):
        dual_perspective(user=cast.analyst, study=cast.study, **arguments)


def test_the_view_takes_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    setup = theme_study(cast)

    with django_assert_max_num_queries(10):
        dual_perspective(
            user=cast.analyst, study=cast.study, dyad_id=setup.dyad1.pk, source=CodingSource.ALL
        )
