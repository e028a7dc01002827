"""Audit comments: the auditor's write, on an object of the study, itself audited."""

import pytest
from django.urls import reverse

from dyads.audit_comments import audit_comment_create
from dyads.exceptions import DomainError, Forbidden
from dyads.models import AuditComment, AuditEvent
from tests import factories
from tests.analysis.audit_setup import signed_in
from tests.conftest import api_as
from tests.dyads.service_calls import row_counts


@pytest.fixture
def coding(cast):
    return factories.CodingFactory(
        revision=cast.revision, code=factories.CodeFactory(study=cast.study), coder=cast.analyst
    )


def test_an_auditor_comments_on_a_coding_and_the_comment_is_an_audit_event(cast, coding):
    comment = audit_comment_create(
        actor=cast.auditor,
        study=cast.study,
        object_type="analysis.coding",
        object_id=coding.pk,
        text="Compliance rather than safety?",
    )

    event = AuditEvent.objects.filter(study=cast.study).order_by("-sequence").first()
    assert (event.action, event.object_id, event.actor) == (
        "audit_comment.create",
        str(comment.pk),
        cast.auditor,
    )
    assert event.new_value["text"] == "Compliance rather than safety?"


def test_an_auditor_may_comment_on_an_audit_event(cast, coding):
    event = AuditEvent.objects.create(
        study=cast.study,
        sequence=9_999,
        created_at=coding.created_at,
        action="test",
        object_type="x",
        object_id="1",
        previous_hash="0" * 64,
        hash="0" * 64,
    )

    comment = audit_comment_create(
        actor=cast.auditor,
        study=cast.study,
        object_type="dyads.auditevent",
        object_id=event.pk,
        text="Seen.",
    )

    assert comment.object_id == str(event.pk)


@pytest.mark.parametrize(
    ("object_type", "object_id", "text", "field"),
    [
        ("analysis.memo", "1", "Hm.", "object_type"),
        ("analysis.coding", "999999", "Hm.", "object_id"),
        ("analysis.coding", "abc", "Hm.", "object_id"),
        ("analysis.coding", "own", "   ", "text"),
    ],
)
def test_a_bad_comment_is_refused_naming_the_field(
    cast, coding, object_type, object_id, text, field
):
    before = row_counts()

    with pytest.raises(DomainError) as refused:
        audit_comment_create(
            actor=cast.auditor,
            study=cast.study,
            object_type=object_type,
            object_id=coding.pk if object_id == "own" else object_id,
            text=text,
        )

    assert field in refused.value.detail
    assert row_counts() == before


def test_an_object_of_another_study_cannot_be_commented_on(cast):
    foreign = factories.CodeFactory(study=cast.other_study)

    with pytest.raises(DomainError) as refused:
        audit_comment_create(
            actor=cast.auditor,
            study=cast.study,
            object_type="analysis.code",
            object_id=foreign.pk,
            text="Hm.",
        )

    assert "object_id" in refused.value.detail


def test_an_analyst_may_not_leave_audit_comments(cast, coding):
    with pytest.raises(Forbidden):
        audit_comment_create(
            actor=cast.analyst,
            study=cast.study,
            object_type="analysis.coding",
            object_id=coding.pk,
            text="Me too.",
        )


def test_the_provenance_page_takes_an_auditors_comment(cast, coding, client):
    client = signed_in(client, cast.auditor)
    page = reverse("coding-why", args=["tcx", coding.pk])

    answer = client.post(
        reverse("audit-comment", args=["tcx"]),
        {"object_type": "analysis.coding", "object_id": coding.pk, "text": "Why?", "next": page},
    )

    assert answer.status_code == 302
    assert answer["Location"] == page
    assert "Why?" in client.get(page).content.decode()


def test_the_api_lists_and_creates_comments(cast, coding):
    client = api_as(cast.auditor)
    body = {"study": cast.study.pk, "object_type": "analysis.coding", "object_id": str(coding.pk)}

    created = client.post("/api/v1/audit-comments/", {**body, "text": "Why?"}, format="json")
    listed = client.get(
        f"/api/v1/audit-comments/?object_type=analysis.coding&object_id={coding.pk}"
    )

    assert created.status_code == 201, created.data
    assert listed.data["count"] == 1
    assert AuditComment.objects.get().author == cast.auditor
