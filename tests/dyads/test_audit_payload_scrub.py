"""Scrubbing text out of audit payloads keeps the chain verifiable and leaves a record."""

import json

import pytest
from django.db import Error, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyads.audit import audit_payloads_scrub, audit_record, audit_verify
from dyads.exceptions import DomainError
from dyads.models import AuditEvent

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)


def record(study, actor, *, old=None, new=None, reason="") -> AuditEvent:
    with transaction.atomic():
        return audit_record(
            study=study,
            actor=actor,
            action="interview.create",
            object_type="interviews.interview",
            object_id=1,
            old=old,
            new=new,
            reason=reason,
        )


@pytest.fixture
def naming(cast) -> list[AuditEvent]:
    """Events that name 'Ingrid' in nested values, a reason, and one that does not."""
    return [
        record(
            cast.study,
            cast.owner,
            new={"notes": "Ingrid met Bjørn", "tags": ["Ingrid", 3, {"x": "Ingrid's"}]},
        ),
        record(cast.study, cast.owner, old={"notes": "nothing"}, reason="Ingrid asked"),
        record(cast.study, cast.owner, new={"notes": "ingrid in lower case"}),
    ]


def test_a_scrub_replaces_each_text_in_values_and_reasons(cast, naming):
    changed = audit_payloads_scrub(study=cast.study, texts=["Ingrid", "Bjørn"])

    first, second, third = (AuditEvent.objects.get(pk=event.pk) for event in naming)
    assert changed == 2
    assert first.new_value == {
        "notes": "[erased] met [erased]",
        "tags": ["[erased]", 3, {"x": "[erased]'s"}],
    }
    assert second.reason == "[erased] asked"
    assert second.old_value == {"notes": "nothing"}
    assert third.new_value == {"notes": "ingrid in lower case"}


def test_the_chain_still_verifies_after_a_scrub(cast, naming):
    before = [(event.hash, event.payload_digest) for event in naming]

    audit_payloads_scrub(study=cast.study, texts=["Ingrid"], replacement="[redacted]")

    after = AuditEvent.objects.filter(pk__in=[event.pk for event in naming]).order_by("sequence")
    assert [(event.hash, event.payload_digest) for event in after] == before
    report = audit_verify(study=cast.study)
    assert report.intact, report
    assert report.payloads_scrubbed == 2


def test_a_scrub_records_how_many_events_changed_never_the_text(cast, naming):
    audit_payloads_scrub(study=cast.study, texts=["Ingrid"], actor=cast.owner)

    event = AuditEvent.objects.filter(study=cast.study).order_by("-sequence").first()
    assert event.action == "audit.scrub"
    assert event.actor == cast.owner
    assert event.new_value == {"events": 2, "sequences": [naming[0].sequence, naming[1].sequence]}
    assert "Ingrid" not in json.dumps(event.new_value) + event.reason


def test_a_scrub_leaves_other_studies_alone(cast, naming):
    elsewhere = record(cast.other_study, cast.outsider, new={"notes": "Ingrid"})

    audit_payloads_scrub(study=cast.study, texts=["Ingrid"])

    elsewhere.refresh_from_db()
    assert elsewhere.new_value == {"notes": "Ingrid"}


def test_a_scrub_that_finds_nothing_changes_nothing_and_records_nothing(cast, naming):
    last = AuditEvent.objects.filter(study=cast.study).count()

    assert audit_payloads_scrub(study=cast.study, texts=["Magnus"]) == 0
    assert AuditEvent.objects.filter(study=cast.study).count() == last


def test_an_empty_text_is_refused_and_nothing_is_scrubbed(cast, naming):
    with pytest.raises(DomainError) as refused:
        audit_payloads_scrub(study=cast.study, texts=["Ingrid", ""])

    assert "texts" in refused.value.detail
    assert AuditEvent.objects.get(pk=naming[0].pk).new_value["notes"] == "Ingrid met Bjørn"


@postgres_only
def test_the_scrub_path_cannot_change_what_the_chain_covers(cast, naming):
    with pytest.raises(Error, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('duet.audit_scrub', 'on', true)")
        AuditEvent.objects.filter(pk=naming[0].pk).update(reason="x", action="forged")

    assert AuditEvent.objects.get(pk=naming[0].pk).action == "interview.create"


@postgres_only
def test_the_scrub_path_closes_again_after_a_scrub(cast, naming):
    with pytest.raises(Error, match="append-only"), transaction.atomic():
        audit_payloads_scrub(study=cast.study, texts=["Ingrid"])
        AuditEvent.objects.filter(pk=naming[2].pk).update(reason="changed later")


@postgres_only
def test_a_payload_changed_through_the_scrub_path_without_a_scrub_event_is_reported(cast, naming):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('duet.audit_scrub', 'on', true)")
        AuditEvent.objects.filter(pk=naming[2].pk).update(reason="quietly rewritten")

    report = audit_verify(study=cast.study)

    assert report.first_broken == naming[2]
    assert "does not match its digest" in report.problem


json_text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=json_text.filter(lambda text: text and text not in "[erased]"),
    around=st.tuples(json_text, json_text),
)
def test_no_occurrence_survives_a_scrub_and_the_chain_verifies(cast, text, around):
    before, after = around
    event = record(
        cast.study, cast.owner, new={"a": [before + text + after, {"b": text}]}, reason=text
    )

    changed = audit_payloads_scrub(study=cast.study, texts=[text])

    event.refresh_from_db()
    assert changed >= 1
    assert text not in event.reason
    assert text not in event.new_value["a"][1]["b"]
    assert audit_verify(study=cast.study).intact
