"""Merging a code into another: codings, memos, sub-codes and theme links move to the
survivor, the merged code is retired pointing at it, and one Decision records why."""

import pytest

from analysis.coding.models import Code, Coding, Memo
from analysis.deliberation.models import Decision, DecisionKind
from analysis.themes.models import Theme, ThemeLevel
from dyads.audit import audit_verify
from dyads.models import AuditEvent
from tests.conftest import api_as
from tests.factories import CodeFactory, CodingFactory, MeetingFactory


@pytest.fixture
def codes(cast):
    safety = CodeFactory(study=cast.study, name="Safety")
    feeling_safe = CodeFactory(study=cast.study, name="Feeling safe")
    return safety, feeling_safe


def merge(user, code, body):
    return api_as(user).post(f"/api/v1/codes/{code.pk}/merge/", body, format="json")


def database_state():
    return (
        list(Code.objects.order_by("pk").values_list("pk", "parent", "retired_at", "version")),
        list(Coding.objects.order_by("pk").values_list("pk", "code", "deleted_at")),
        Decision.objects.count(),
        AuditEvent.objects.count(),
    )


def test_merging_moves_every_coding_to_the_survivor_and_records_one_decision(cast, codes):
    merged, survivor = codes
    moved = [
        CodingFactory(revision=cast.revision, code=merged, coder=coder, start=start, end=start + 9)
        for coder in (cast.analyst, cast.owner)
        for start in (0, 20, 40)
    ]
    kept = CodingFactory(
        revision=cast.revision, code=survivor, coder=cast.analyst, start=60, end=70
    )

    response = merge(cast.analyst, merged, {"into": survivor.pk, "rationale": "Same idea"})

    assert response.status_code == 200, response.data
    assert response.data["id"] == survivor.pk
    assert set(Coding.objects.filter(code=survivor).values_list("pk", flat=True)) == {
        kept.pk,
        *(coding.pk for coding in moved),
    }
    assert not Coding.objects.filter(code=merged).exists()
    merged.refresh_from_db()
    assert merged.retired_at is not None
    assert merged.merged_into == survivor
    decision = Decision.objects.get()
    assert decision.kind == DecisionKind.CODE_MERGE
    assert decision.code == merged
    assert decision.rationale == "Same idea"
    assert decision.after["codings_moved"] == 6
    event = AuditEvent.objects.get(action="code.merge")
    assert event.new_value["codings_moved"] == sorted(coding.pk for coding in moved)
    assert audit_verify(study=cast.study).intact


def test_a_merged_code_leaves_the_codebook_and_points_to_its_survivor(cast, codes):
    merged, survivor = codes
    merge(cast.analyst, merged, {"into": survivor.pk, "rationale": "Same idea"})

    client = api_as(cast.analyst)
    listed = client.get(f"/api/v1/codes/?study={cast.study.pk}").data["results"]

    assert [code["name"] for code in listed] == ["Feeling safe"]
    assert Code.objects.get(pk=merged.pk).merged_into_id == survivor.pk


def test_a_coding_that_would_duplicate_one_on_the_survivor_is_removed_instead(cast, codes):
    merged, survivor = codes
    twin = CodingFactory(revision=cast.revision, code=merged, coder=cast.analyst, start=0, end=9)
    original = CodingFactory(
        revision=cast.revision, code=survivor, coder=cast.analyst, start=0, end=9
    )
    other_coder = CodingFactory(
        revision=cast.revision, code=merged, coder=cast.owner, start=0, end=9
    )

    merge(cast.analyst, merged, {"into": survivor.pk, "rationale": "Same idea"})

    live = Coding.objects.filter(code=survivor, deleted_at__isnull=True)
    assert set(live.values_list("pk", flat=True)) == {original.pk, other_coder.pk}
    twin.refresh_from_db()
    assert twin.deleted_at is not None
    assert twin.code == merged
    event = AuditEvent.objects.get(action="code.merge")
    assert event.new_value["codings_removed_as_duplicates"] == [twin.pk]


def test_sub_codes_memos_and_theme_links_move_to_the_survivor(cast, codes):
    merged, survivor = codes
    child = CodeFactory(study=cast.study, parent=merged, name="At night")
    memo = Memo.objects.create(study=cast.study, author=cast.analyst, text="Note", code=merged)
    theme = Theme.objects.create(study=cast.study, name="Holding", level=ThemeLevel.OVERARCHING)
    theme.codes.add(merged)

    merge(cast.analyst, merged, {"into": survivor.pk, "rationale": "Same idea"})

    child.refresh_from_db()
    memo.refresh_from_db()
    assert child.parent == survivor
    assert child.version == 2
    assert memo.code == survivor
    assert list(theme.codes.all()) == [survivor]


def test_a_merge_may_cite_the_meeting_where_it_was_agreed(cast, codes):
    merged, survivor = codes
    meeting = MeetingFactory(study=cast.study, created_by=cast.owner)

    response = merge(cast.owner, merged, {"into": survivor.pk, "meeting": meeting.pk})

    assert response.status_code == 200, response.data
    assert Decision.objects.get().meeting == meeting


def test_a_stale_merge_answers_409_and_changes_nothing(cast, codes):
    merged, survivor = codes
    CodingFactory(revision=cast.revision, code=merged, coder=cast.analyst)
    Code.objects.filter(pk=merged.pk).update(version=3)
    before = database_state()

    response = merge(
        cast.analyst, merged, {"into": survivor.pk, "version": 2, "rationale": "Same idea"}
    )

    assert response.status_code == 409
    assert response.data["current"]["version"] == 3
    assert database_state() == before


def sub_codes_called_alike(cast, codes) -> int:
    merged, survivor = codes
    CodeFactory(study=cast.study, parent=merged, name="At night")
    CodeFactory(study=cast.study, parent=survivor, name="At night")
    return survivor.pk


BAD_MERGES = {
    "no meeting and no rationale": (lambda cast, codes: {"into": codes[1].pk}, "rationale"),
    "into itself": (lambda cast, codes: {"into": codes[0].pk, "rationale": "x"}, "into"),
    "into a retired code": (
        lambda cast, codes: {
            "into": CodeFactory(study=cast.study, retired_at="2026-01-01T00:00Z").pk,
            "rationale": "x",
        },
        "into",
    ),
    "into another study's code": (
        lambda cast, codes: {"into": CodeFactory(study=cast.other_study).pk, "rationale": "x"},
        "into",
    ),
    "into its own sub-code": (
        lambda cast, codes: {
            "into": CodeFactory(study=cast.study, parent=codes[0]).pk,
            "rationale": "x",
        },
        "into",
    ),
    "into a code with a sub-code of the same name as one of its own": (
        lambda cast, codes: {"into": sub_codes_called_alike(cast, codes), "rationale": "x"},
        "into",
    ),
    "without a target": (lambda cast, codes: {"rationale": "x"}, "into"),
}


@pytest.mark.parametrize("case", list(BAD_MERGES))
def test_a_bad_merge_is_refused_naming_the_field_and_changes_nothing(cast, codes, case):
    build, field = BAD_MERGES[case]
    CodingFactory(revision=cast.revision, code=codes[0], coder=cast.analyst)
    body = build(cast, codes)
    before = database_state()

    response = merge(cast.analyst, codes[0], body)

    assert response.status_code == 400
    assert field in response.data
    assert database_state() == before


@pytest.mark.parametrize(("role", "status"), [("auditor", 403), ("interviewer", 404)])
def test_only_analysts_and_owners_merge_codes(cast, codes, role, status):
    before = database_state()

    response = merge(cast.user(role), codes[0], {"into": codes[1].pk, "rationale": "x"})

    assert response.status_code == status
    assert database_state() == before
