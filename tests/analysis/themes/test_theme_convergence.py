"""Convergence marks: the analysts' reading of whether a dyad's two accounts of a
constituent converge, diverge or are one-sided."""

import pytest

from analysis.coding.models import SessionState
from analysis.themes.models import ConvergenceMark, ConvergenceVerdict
from analysis.themes.services.convergence import convergence_mark_clear, convergence_mark_set
from dyads.exceptions import Conflict, DomainError, Forbidden
from dyads.models import AuditEvent
from tests import factories
from tests.analysis.theme_setup import side_state_study, theme_study


@pytest.fixture
def setup(cast):
    return theme_study(cast)


def state(study) -> tuple:
    return (
        list(ConvergenceMark.objects.filter(study=study).values()),
        AuditEvent.objects.filter(study=study).count(),
    )


def test_marking_a_cell_twice_updates_the_one_mark(cast, setup):
    first = convergence_mark_set(
        actor=cast.analyst, dyad=setup.dyad1, theme=setup.safety, verdict="converge"
    )
    second = convergence_mark_set(
        actor=cast.owner,
        dyad=setup.dyad1,
        theme=setup.safety,
        verdict=ConvergenceVerdict.DIVERGE,
        note="  He felt tested, she felt safe.  ",
        version=1,
    )

    assert second.pk == first.pk
    assert (second.verdict, second.note, second.version) == (
        "diverge",
        "He felt tested, she felt safe.",
        2,
    )
    assert second.marked_by == cast.owner
    events = AuditEvent.objects.filter(action="convergence.mark", object_id=str(first.pk))
    assert events.count() == 2
    assert events.latest("sequence").old_value["verdict"] == "converge"


def test_clearing_a_mark_leaves_the_cell_free_for_a_new_one(cast, setup):
    mark = convergence_mark_set(
        actor=cast.analyst, dyad=setup.dyad1, theme=setup.safety, verdict="one_sided"
    )

    convergence_mark_clear(actor=cast.analyst, mark=mark, version=1)
    again = convergence_mark_set(
        actor=cast.analyst, dyad=setup.dyad1, theme=setup.safety, verdict="converge"
    )

    mark.refresh_from_db()
    assert mark.cleared_at is not None
    assert again.pk != mark.pk
    assert AuditEvent.objects.filter(action="convergence.clear").count() == 1


def test_a_stale_version_is_a_conflict(cast, setup):
    convergence_mark_set(
        actor=cast.analyst, dyad=setup.dyad1, theme=setup.safety, verdict="converge"
    )
    convergence_mark_set(
        actor=cast.analyst, dyad=setup.dyad1, theme=setup.safety, verdict="diverge", version=1
    )
    before = state(cast.study)

    with pytest.raises(Conflict):
        convergence_mark_set(
            actor=cast.owner, dyad=setup.dyad1, theme=setup.safety, verdict="converge", version=1
        )

    assert state(cast.study) == before


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("verdict", "verdict", "'maybe' is not a verdict"),
        ("overarching", "theme", "not a live constituent"),
        ("other study", "theme", "another study"),
    ],
)
def test_a_bad_mark_names_the_field_and_changes_nothing(cast, setup, case, field, message):
    arguments = {"dyad": setup.dyad1, "theme": setup.safety, "verdict": "converge"}
    if case == "verdict":
        arguments["verdict"] = "maybe"
    elif case == "overarching":
        arguments["theme"] = setup.overarching
    else:
        arguments["theme"] = factories.ThemeFactory(study=cast.other_study)
    before = state(cast.study)

    with pytest.raises(DomainError, match=message) as raised:
        convergence_mark_set(actor=cast.analyst, **arguments)

    assert field in raised.value.detail
    assert state(cast.study) == before


def test_an_auditor_may_not_mark(cast, setup):
    with pytest.raises(Forbidden):
        convergence_mark_set(
            actor=cast.auditor, dyad=setup.dyad1, theme=setup.safety, verdict="converge"
        )


def test_one_sided_is_refused_while_the_other_side_is_not_coded(cast):
    world = side_state_study(cast)
    dyad2, safety = world.base.dyad2, world.base.safety
    convergence_mark_set(actor=cast.analyst, dyad=dyad2, theme=safety, verdict="diverge")
    before = state(cast.study)

    with pytest.raises(DomainError, match="“One-sided” needs both sides coded") as raised:
        convergence_mark_set(
            actor=cast.analyst, dyad=dyad2, theme=safety, verdict="one_sided", version=1
        )

    assert "the client's side of Dyad 2 has transcripts not coded" in raised.value.detail["verdict"]
    assert state(cast.study) == before
    assert ConvergenceMark.objects.get(dyad=dyad2, cleared_at__isnull=True).verdict == "diverge"


def test_one_sided_is_accepted_once_the_other_side_is_coded_and_absent(cast):
    world = side_state_study(cast)
    factories.CodingSessionFactory(
        study=cast.study,
        state=SessionState.CLOSED,
        transcripts=[world.base.interviews["D1"].transcript],
    )

    mark = convergence_mark_set(
        actor=cast.analyst, dyad=world.base.dyad2, theme=world.base.safety, verdict="one_sided"
    )

    assert mark.verdict == ConvergenceVerdict.ONE_SIDED


def test_one_sided_is_accepted_where_the_other_side_was_not_interviewed(cast):
    world = side_state_study(cast)
    client = world.dyad3.client
    revision = factories.revision_for(client.interviews.get())
    factories.CodingFactory(revision=revision, code=world.base.codes["A"], coder=cast.analyst)

    mark = convergence_mark_set(
        actor=cast.analyst, dyad=world.dyad3, theme=world.base.safety, verdict="one_sided"
    )

    assert mark.verdict == ConvergenceVerdict.ONE_SIDED
