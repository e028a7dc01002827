"""Moving a code in the tree (re-parenting): recorded as a decision, never into a cycle."""

import threading

import pytest
from django.db import connection

from analysis.coding.models import Code
from analysis.coding.services.codebook import code_move
from analysis.deliberation.models import Decision, DecisionKind
from dyads.exceptions import DomainError
from dyads.models import AuditEvent
from tests.conftest import api_as
from tests.factories import CodeFactory


@pytest.fixture
def tree(cast):
    """relationship > safety > at_night, and way_of_working at the top."""
    relationship = CodeFactory(study=cast.study, name="Relationship")
    safety = CodeFactory(study=cast.study, name="Safety", parent=relationship)
    at_night = CodeFactory(study=cast.study, name="At night", parent=safety)
    way_of_working = CodeFactory(study=cast.study, name="Way of working")
    return relationship, safety, at_night, way_of_working


def move(user, code, body):
    return api_as(user).patch(f"/api/v1/codes/{code.pk}/", body, format="json")


def database_state():
    return (
        list(Code.objects.order_by("pk").values_list("pk", "parent", "version")),
        Decision.objects.count(),
        AuditEvent.objects.count(),
    )


def test_moving_a_code_under_another_records_a_move_decision(cast, tree):
    _, safety, at_night, way_of_working = tree

    response = move(
        cast.analyst, safety, {"parent": way_of_working.pk, "version": 1, "rationale": "Fits"}
    )

    assert response.status_code == 200, response.data
    safety.refresh_from_db()
    assert safety.parent == way_of_working
    assert safety.version == 2
    at_night.refresh_from_db()
    assert at_night.parent == safety
    decision = Decision.objects.get()
    assert decision.kind == DecisionKind.CODE_MOVE
    assert decision.after == {"parent": way_of_working.pk}


def test_a_code_moves_to_the_top_level(cast, tree):
    relationship, safety, *_ = tree

    code_move(actor=cast.owner, code=safety, parent=None, rationale="Its own area")

    safety.refresh_from_db()
    assert safety.parent is None
    assert Decision.objects.get().before == {"parent": relationship.pk}


def test_a_stale_move_answers_409_and_changes_nothing(cast, tree):
    _, safety, _, way_of_working = tree
    Code.objects.filter(pk=safety.pk).update(version=2)
    before = database_state()

    response = move(
        cast.analyst, safety, {"parent": way_of_working.pk, "version": 1, "rationale": "x"}
    )

    assert response.status_code == 409
    assert response.data["current"]["parent"] == safety.parent_id
    assert database_state() == before


def bad_parent(cast, tree, case: str) -> int:
    _, safety, at_night, _ = tree
    return {
        "under itself": lambda: safety.pk,
        "under its own sub-code": lambda: at_night.pk,
        "under a sub-code of its sub-code": lambda: (
            CodeFactory(study=cast.study, parent=at_night).pk
        ),
        "under a retired code": lambda: (
            CodeFactory(study=cast.study, retired_at="2026-01-01T00:00Z").pk
        ),
        "under another study's code": lambda: CodeFactory(study=cast.other_study).pk,
    }[case]()


@pytest.mark.parametrize(
    "case",
    [
        "under itself",
        "under its own sub-code",
        "under a sub-code of its sub-code",
        "under a retired code",
        "under another study's code",
    ],
)
def test_a_move_into_a_cycle_or_out_of_the_study_is_refused_and_changes_nothing(cast, tree, case):
    safety = tree[1]
    parent = bad_parent(cast, tree, case)
    before = database_state()

    response = move(cast.analyst, safety, {"parent": parent, "rationale": "x"})

    assert response.status_code == 400
    assert "parent" in response.data
    assert database_state() == before


def test_a_move_without_meeting_or_rationale_is_refused(cast, tree):
    _, safety, _, way_of_working = tree
    before = database_state()

    response = move(cast.analyst, safety, {"parent": way_of_working.pk})

    assert response.status_code == 400
    assert "rationale" in response.data
    assert database_state() == before


def test_an_auditor_may_not_move_a_code(cast, tree):
    _, safety, _, way_of_working = tree
    before = database_state()

    response = move(cast.auditor, safety, {"parent": way_of_working.pk, "rationale": "x"})

    assert response.status_code == 403
    assert database_state() == before


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_crossing_moves_cannot_make_a_cycle(cast):
    left = CodeFactory(study=cast.study, name="Left")
    right = CodeFactory(study=cast.study, name="Right")
    start = threading.Barrier(2)
    outcomes = []

    def attempt(code, parent):
        start.wait()
        try:
            code_move(actor=cast.analyst, code=code, parent=parent, rationale="Crossing")
            outcomes.append("moved")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(left, right)),
        threading.Thread(target=attempt, args=(right, left)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["moved", "refused"]
    parents = dict(Code.objects.filter(pk__in=[left.pk, right.pk]).values_list("pk", "parent"))
    assert None in parents.values()
