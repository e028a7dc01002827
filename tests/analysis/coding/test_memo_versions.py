"""Memos carry a version: a stale edit answers 409 with the memo as it is; removal is soft."""

import pytest

from analysis.coding.models import Memo
from dyads.models import AuditEvent, Role
from tests.conftest import api_as
from tests.factories import CodeFactory, MembershipFactory, UserFactory


@pytest.fixture
def memo(cast):
    code = CodeFactory(study=cast.study, name="Safety")
    return Memo.objects.create(
        study=cast.study, author=cast.analyst, title="Why", text="First thoughts", code=code
    )


def database_state():
    return (
        list(Memo.objects.order_by("pk").values_list("title", "text", "version", "deleted_at")),
        AuditEvent.objects.count(),
    )


def test_an_edit_with_the_current_version_is_saved_and_bumps_the_version(cast, memo):
    response = api_as(cast.analyst).patch(
        f"/api/v1/memos/{memo.pk}/", {"text": "Second thoughts", "version": 1}, format="json"
    )

    assert response.status_code == 200, response.data
    assert response.data["version"] == 2
    memo.refresh_from_db()
    assert memo.text == "Second thoughts"
    event = AuditEvent.objects.get(action="memo.update")
    assert (event.old_value, event.new_value) == (
        {"text": "First thoughts"},
        {"text": "Second thoughts"},
    )


def test_a_stale_edit_answers_409_with_the_current_memo_and_changes_nothing(cast, memo):
    client = api_as(cast.analyst)
    client.patch(f"/api/v1/memos/{memo.pk}/", {"text": "Second", "version": 1}, format="json")
    before = database_state()

    stale = client.patch(
        f"/api/v1/memos/{memo.pk}/", {"text": "Other", "version": 1}, format="json"
    )

    assert stale.status_code == 409
    assert stale.data["current"]["text"] == "Second"
    assert stale.data["current"]["version"] == 2
    assert database_state() == before


def test_removing_a_memo_keeps_it_in_the_database_and_the_audit_trail(cast, memo):
    client = api_as(cast.analyst)

    response = client.delete(f"/api/v1/memos/{memo.pk}/?version=1")

    assert response.status_code == 204
    assert client.get(f"/api/v1/memos/{memo.pk}/").status_code == 404
    memo.refresh_from_db()
    assert memo.deleted_at is not None
    assert AuditEvent.objects.get(action="memo.delete").old_value["text"] == "First thoughts"


def test_removing_with_a_stale_version_answers_409_and_changes_nothing(cast, memo):
    Memo.objects.filter(pk=memo.pk).update(version=2)
    before = database_state()

    response = api_as(cast.analyst).delete(f"/api/v1/memos/{memo.pk}/?version=1")

    assert response.status_code == 409
    assert database_state() == before


def test_an_owner_may_edit_another_members_memo(cast, memo):
    response = api_as(cast.owner).patch(
        f"/api/v1/memos/{memo.pk}/", {"title": "Why (owner)"}, format="json"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [({"text": ""}, "text"), ({"title": "x" * 201}, "title"), ({"version": "two"}, "version")],
)
def test_a_bad_edit_is_refused_naming_the_field_and_changes_nothing(cast, memo, body, field):
    before = database_state()

    response = api_as(cast.analyst).patch(f"/api/v1/memos/{memo.pk}/", body, format="json")

    assert response.status_code == 400
    assert field in response.data
    assert database_state() == before


@pytest.mark.parametrize(
    ("role", "status"), [("auditor", 403), ("interviewer", 404), ("outsider", 404)]
)
def test_others_may_neither_edit_nor_remove_a_memo(cast, memo, role, status):
    before = database_state()
    client = api_as(cast.user(role))

    edit = client.patch(f"/api/v1/memos/{memo.pk}/", {"text": "Mine now"}, format="json")
    remove = client.delete(f"/api/v1/memos/{memo.pk}/")

    assert (edit.status_code, remove.status_code) == (status, status)
    assert database_state() == before


def test_another_analyst_may_not_edit_the_memo(cast, memo):
    colleague = UserFactory(username="colleague")
    MembershipFactory(study=cast.study, user=colleague, role=Role.ANALYST)
    before = database_state()

    response = api_as(colleague).patch(
        f"/api/v1/memos/{memo.pk}/", {"text": "Mine now"}, format="json"
    )

    assert response.status_code == 403
    assert "author" in response.data["detail"]
    assert database_state() == before
