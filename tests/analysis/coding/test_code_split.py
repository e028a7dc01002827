"""Splitting a code into new codes beside it, each taking the codings given for it."""

import pytest

from analysis.coding.models import Code, Coding
from analysis.deliberation.models import Decision, DecisionKind
from dyads.audit import audit_verify
from dyads.models import AuditEvent
from tests.conftest import api_as
from tests.factories import CodeFactory, CodingFactory


@pytest.fixture
def safety(cast):
    parent = CodeFactory(study=cast.study, name="Relationship")
    return CodeFactory(study=cast.study, parent=parent, name="Safety")


@pytest.fixture
def codings(cast, safety):
    return [
        CodingFactory(revision=cast.revision, code=safety, coder=cast.analyst, start=s, end=s + 5)
        for s in (0, 10, 20, 30)
    ]


def split(user, code, body):
    return api_as(user).post(f"/api/v1/codes/{code.pk}/split/", body, format="json")


def database_state():
    return (
        list(Code.objects.order_by("pk").values_list("pk", "name", "retired_at", "version")),
        list(Coding.objects.order_by("pk").values_list("pk", "code")),
        Decision.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_split_makes_new_codes_beside_the_original_with_the_codings_given_to_each(
    cast, safety, codings
):
    body = {
        "parts": [
            {"name": "Physical safety", "codings": [codings[0].pk, codings[1].pk]},
            {
                "name": "Emotional safety",
                "codings": [codings[2].pk, codings[3].pk],
                "colour": "#e15759",
                "definition": "Feeling safe to feel.",
            },
        ],
        "rationale": "Two different things",
    }

    response = split(cast.analyst, safety, body)

    assert response.status_code == 201, response.data
    physical, emotional = (Code.objects.get(name=part["name"]) for part in body["parts"])
    assert [code["id"] for code in response.data] == [physical.pk, emotional.pk]
    assert physical.parent == safety.parent == emotional.parent
    assert emotional.colour == "#e15759"
    assert emotional.definition == "Feeling safe to feel."
    assert set(physical.codings.values_list("pk", flat=True)) == {codings[0].pk, codings[1].pk}
    assert set(emotional.codings.values_list("pk", flat=True)) == {codings[2].pk, codings[3].pk}
    safety.refresh_from_db()
    assert safety.retired_at is not None
    decision = Decision.objects.get()
    assert decision.kind == DecisionKind.CODE_SPLIT
    assert decision.code == safety
    assert [part["codings"] for part in decision.after["parts"]] == [
        [codings[0].pk, codings[1].pk],
        [codings[2].pk, codings[3].pk],
    ]
    assert audit_verify(study=cast.study).intact


def test_a_split_may_keep_the_original_with_the_codings_it_does_not_hand_on(cast, safety, codings):
    body = {
        "parts": [
            {"name": "At night", "codings": [codings[0].pk]},
            {"name": "In session", "codings": []},
        ],
        "retire_original": False,
        "rationale": "Sharper",
    }

    response = split(cast.analyst, safety, body)

    assert response.status_code == 201, response.data
    safety.refresh_from_db()
    assert safety.retired_at is None
    assert set(safety.codings.values_list("pk", flat=True)) == {c.pk for c in codings[1:]}


def test_a_part_may_take_the_name_of_the_code_it_replaces(cast, safety, codings):
    body = {
        "parts": [
            {"name": "Safety", "codings": [c.pk for c in codings[:2]]},
            {"name": "Emotional safety", "codings": [c.pk for c in codings[2:]]},
        ],
        "rationale": "Narrower",
    }

    assert split(cast.analyst, safety, body).status_code == 201
    assert Code.objects.filter(name="Safety", retired_at__isnull=True).exclude(pk=safety.pk)


def bad_splits(cast, safety, codings) -> dict:
    all_ids = [c.pk for c in codings]
    other = CodingFactory(revision=cast.revision, code=CodeFactory(study=cast.study))
    CodeFactory(study=cast.study, parent=safety.parent, name="Taken")
    return {
        "one part": {"parts": [{"name": "Only", "codings": all_ids}], "rationale": "x"},
        "a part without a name": {
            "parts": [{"name": "", "codings": all_ids}, {"name": "B", "codings": []}],
            "rationale": "x",
        },
        "two parts of one name": {
            "parts": [{"name": "A", "codings": all_ids}, {"name": "a", "codings": []}],
            "rationale": "x",
        },
        "a coding of another code": {
            "parts": [{"name": "A", "codings": all_ids}, {"name": "B", "codings": [other.pk]}],
            "rationale": "x",
        },
        "a coding in two parts": {
            "parts": [{"name": "A", "codings": all_ids}, {"name": "B", "codings": all_ids[:1]}],
            "rationale": "x",
        },
        "codings left out while retiring the original": {
            "parts": [{"name": "A", "codings": all_ids[:1]}, {"name": "B", "codings": []}],
            "rationale": "x",
        },
        "a name a sibling already has": {
            "parts": [{"name": "Taken", "codings": all_ids}, {"name": "B", "codings": []}],
            "rationale": "x",
        },
        "a colour that is not one": {
            "parts": [
                {"name": "A", "codings": all_ids, "colour": "red"},
                {"name": "B", "codings": []},
            ],
            "rationale": "x",
        },
        "no meeting and no rationale": {
            "parts": [{"name": "A", "codings": all_ids}, {"name": "B", "codings": []}]
        },
    }


BAD_FIELDS = {
    "a colour that is not one": "colour",
    "no meeting and no rationale": "rationale",
}


@pytest.mark.parametrize(
    "case",
    [
        "one part",
        "a part without a name",
        "two parts of one name",
        "a coding of another code",
        "a coding in two parts",
        "codings left out while retiring the original",
        "a name a sibling already has",
        "a colour that is not one",
        "no meeting and no rationale",
    ],
)
def test_a_bad_split_is_refused_naming_the_problem_and_changes_nothing(cast, safety, codings, case):
    body = bad_splits(cast, safety, codings)[case]
    before = database_state()

    response = split(cast.analyst, safety, body)

    assert response.status_code == 400
    assert BAD_FIELDS.get(case, "parts") in response.data, response.data
    assert database_state() == before


def test_a_code_with_sub_codes_is_split_only_if_it_stays(cast, safety, codings):
    CodeFactory(study=cast.study, parent=safety, name="Child")
    body = {
        "parts": [{"name": "A", "codings": [c.pk for c in codings]}, {"name": "B", "codings": []}],
        "rationale": "x",
    }
    before = database_state()

    response = split(cast.analyst, safety, body)

    assert response.status_code == 400
    assert "sub-codes" in response.data["parts"]
    assert database_state() == before


def test_an_auditor_may_not_split_a_code(cast, safety, codings):
    body = {
        "parts": [{"name": "A", "codings": [c.pk for c in codings]}, {"name": "B", "codings": []}],
        "rationale": "x",
    }
    before = database_state()

    assert split(cast.auditor, safety, body).status_code == 403
    assert database_state() == before
