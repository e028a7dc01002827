"""Changing the theme structure: each change is a decision of its kind, audited, and bad
input leaves everything as it was."""

import pytest

from analysis.deliberation.models import Decision, DecisionKind
from analysis.themes.models import Theme, ThemeLevel
from analysis.themes.services.themes import theme_create, theme_retire, theme_update
from dyads.exceptions import Conflict, DomainError, Forbidden, NotFound
from dyads.models import AuditEvent
from tests import factories

WHY = {"rationale": "Agreed after reading dyad 3 together."}


@pytest.fixture
def tree(cast):
    codes = [
        factories.CodeFactory(study=cast.study, name=name) for name in ("Safe", "Seen", "Held")
    ]
    overarching = theme_create(actor=cast.analyst, study=cast.study, name="Relationship", **WHY)
    constituent = theme_create(
        actor=cast.analyst,
        study=cast.study,
        name="Being met",
        parent=overarching,
        codes=codes[:1],
        client_description="She was seen.",
        **WHY,
    )
    return cast, overarching, constituent, codes


def state(study) -> tuple:
    return (
        list(Theme.objects.filter(study=study).order_by("pk").values()),
        Decision.objects.filter(study=study).count(),
        AuditEvent.objects.filter(study=study).count(),
    )


def kinds(theme) -> list[str]:
    return list(Decision.objects.filter(theme=theme).order_by("pk").values_list("kind", flat=True))


def test_a_constituent_may_have_constituents_of_its_own(tree):
    cast, overarching, constituent, _ = tree

    nested = theme_create(
        actor=cast.analyst, study=cast.study, name="Being remembered", parent=constituent, **WHY
    )

    assert nested.level == ThemeLevel.CONSTITUENT
    assert nested.parent == constituent
    assert constituent.parent == overarching
    assert kinds(nested) == [DecisionKind.THEME_CREATE]


def test_revising_the_descriptions_records_a_revise_decision_with_before_and_after(tree):
    cast, _, constituent, _ = tree

    theme_update(
        actor=cast.analyst,
        theme=constituent,
        version=constituent.version,
        therapist_description="He chose to be present.",
        **WHY,
    )

    constituent.refresh_from_db()
    assert constituent.therapist_description == "He chose to be present."
    assert constituent.version == 2
    decision = Decision.objects.filter(theme=constituent).latest("pk")
    assert decision.kind == DecisionKind.THEME_REVISE
    assert decision.before == {"therapist_description": ""}
    assert decision.after == {"therapist_description": "He chose to be present."}
    assert AuditEvent.objects.filter(action="theme.update", object_id=str(constituent.pk)).exists()


def test_linking_and_unlinking_codes_records_a_link_decision(tree):
    cast, _, constituent, codes = tree

    theme_update(actor=cast.analyst, theme=constituent, codes=codes[1:], **WHY)

    assert set(constituent.codes.all()) == set(codes[1:])
    decision = Decision.objects.filter(theme=constituent).latest("pk")
    assert decision.kind == DecisionKind.THEME_LINK_CODE
    assert decision.before == {"codes": [codes[0].pk]}
    assert decision.after == {"codes": sorted(code.pk for code in codes[1:])}


def test_moving_a_theme_records_a_move_decision_and_sets_its_level(tree):
    cast, _, constituent, _ = tree
    other = theme_create(actor=cast.analyst, study=cast.study, name="Work", **WHY)

    theme_update(actor=cast.analyst, theme=constituent, parent=other, **WHY)
    constituent.refresh_from_db()
    assert constituent.parent == other
    assert kinds(constituent)[-1] == DecisionKind.THEME_MOVE

    theme_update(actor=cast.analyst, theme=constituent, parent=None, **WHY)
    constituent.refresh_from_db()
    assert constituent.parent is None
    assert constituent.level == ThemeLevel.OVERARCHING


def test_one_update_of_several_kinds_records_one_decision_per_kind(tree):
    cast, _, constituent, codes = tree

    theme_update(actor=cast.analyst, theme=constituent, name="Met as a person", codes=codes, **WHY)

    assert kinds(constituent) == [
        DecisionKind.THEME_CREATE,
        DecisionKind.THEME_REVISE,
        DecisionKind.THEME_LINK_CODE,
    ]


def test_an_update_that_changes_nothing_records_nothing(tree):
    cast, _, constituent, codes = tree
    before = state(cast.study)

    theme_update(actor=cast.analyst, theme=constituent, name="Being met", codes=codes[:1])

    assert state(cast.study) == before


def test_retiring_a_theme_records_a_retire_decision(tree):
    cast, _, constituent, _ = tree

    theme_retire(actor=cast.analyst, theme=constituent, version=1, **WHY)

    constituent.refresh_from_db()
    assert constituent.retired_at is not None
    assert kinds(constituent)[-1] == DecisionKind.THEME_RETIRE


BAD_UPDATES = {
    "name": ({"name": "Relationship"}, "already a theme called 'Relationship'"),
    "parent": ({"parent": "own"}, "cannot be moved under its own constituent"),
    "codes": ({"codes": "other study"}, "must belong to this study"),
    "rationale": ({"name": "New name", "rationale": ""}, "meeting"),
    "unknown field": ({"colour": "#ffffff"}, "cannot be changed"),
}


@pytest.mark.parametrize("case", list(BAD_UPDATES))
def test_a_bad_update_names_the_field_and_changes_nothing(tree, case):
    cast, overarching, constituent, _ = tree
    changes, message = BAD_UPDATES[case]
    changes = {"rationale": WHY["rationale"], **changes}
    if changes.get("parent") == "own":
        changes["parent"] = constituent
        target = overarching
    else:
        target = constituent
    if changes.get("codes") == "other study":
        changes["codes"] = [factories.CodeFactory(study=cast.other_study)]
    before = state(cast.study)

    with pytest.raises(DomainError) as raised:
        theme_update(actor=cast.analyst, theme=target, **changes)

    assert message in str(raised.value)
    assert state(cast.study) == before


def test_a_stale_version_is_a_conflict_and_changes_nothing(tree):
    cast, _, constituent, _ = tree
    theme_update(actor=cast.analyst, theme=constituent, name="Met", version=1, **WHY)
    before = state(cast.study)

    with pytest.raises(Conflict):
        theme_update(actor=cast.owner, theme=constituent, name="Seen", version=1, **WHY)

    assert state(cast.study) == before


def test_a_theme_with_live_constituents_cannot_be_retired(tree):
    cast, overarching, _, _ = tree
    before = state(cast.study)

    with pytest.raises(DomainError, match="still has constituents"):
        theme_retire(actor=cast.analyst, theme=overarching, **WHY)

    assert state(cast.study) == before


@pytest.mark.parametrize(("role", "error"), [("auditor", Forbidden), ("outsider", NotFound)])
def test_only_members_who_code_may_change_themes(tree, role, error):
    cast, _, constituent, _ = tree
    before = state(cast.study)

    with pytest.raises(error):
        theme_update(actor=cast.user(role), theme=constituent, name="Hijacked", **WHY)
    with pytest.raises(error):
        theme_create(actor=cast.user(role), study=cast.study, name="New", **WHY)

    assert state(cast.study) == before
