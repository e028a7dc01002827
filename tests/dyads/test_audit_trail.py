"""Every service write leaves its audit events; the chain links and can be verified."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import Error, connection, transaction

from dyads.audit import audit_verify, chain_hash
from dyads.models import AuditChainHead, AuditEvent, Role
from dyads.services import site_create, study_create, study_update
from tests import factories

from .service_calls import CALLS, ServiceCall

GENESIS_HASH = "0" * 64

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)


def events_after(study, sequence: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(study=study, sequence__gt=sequence).order_by("sequence"))


def last_sequence(study) -> int:
    return (
        AuditEvent.objects.filter(study=study)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
        or 0
    )


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_each_service_write_leaves_exactly_its_audit_events(cast, call: ServiceCall):
    arranged = call.arrange(cast, cast.owner)
    before = last_sequence(cast.study)

    result = call.act(cast, cast.owner, arranged)

    events = events_after(cast.study, before)
    assert [event.action for event in events] == list(call.actions)
    assert all(event.actor_id == cast.owner.pk for event in events)
    first = events[0]
    target = call.target(cast, arranged, result)
    assert first.object_type == target._meta.label_lower
    assert first.object_id == str(target.pk)
    assert first.old_value == call.expect_old(cast, arranged, result)
    expected_new = call.expect_new(cast, arranged, result)
    if expected_new is None:
        assert first.new_value is None
    else:
        assert first.new_value.items() >= expected_new.items()


@pytest.mark.parametrize("call", [c for c in CALLS if "decision.record" in c.actions], ids=str)
def test_a_codebook_or_theme_change_records_its_decision_as_an_event(cast, call: ServiceCall):
    arranged = call.arrange(cast, cast.owner)
    before = last_sequence(cast.study)

    result = call.act(cast, cast.owner, arranged)

    change, decision_event = events_after(cast.study, before)
    decision = result.decisions.get()
    assert decision_event.object_type == "analysis.decision"
    assert decision_event.object_id == str(decision.pk)
    assert decision_event.new_value["kind"] == decision.kind
    assert decision_event.reason == decision.rationale
    assert change.object_id == str(result.pk)


def test_creating_a_study_records_the_study_and_its_first_owner(db):
    founder = factories.UserFactory(username="founder")

    study = study_create(actor=founder, title="Serial interviews", slug="serial")

    created, membership = AuditEvent.objects.filter(study=study).order_by("sequence")
    assert (created.sequence, created.action, created.object_type) == (
        1,
        "study.create",
        "dyads.study",
    )
    assert created.object_id == str(study.pk)
    assert created.new_value["title"] == "Serial interviews"
    assert (membership.action, membership.object_type) == (
        "membership.add",
        "dyads.studymembership",
    )
    assert membership.new_value == {"user": founder.pk, "role": Role.OWNER}
    assert {created.actor_id, membership.actor_id} == {founder.pk}


def test_a_write_that_changes_nothing_leaves_no_event(cast):
    before = last_sequence(cast.study)

    study_update(actor=cast.owner, study=cast.study, title=cast.study.title)

    assert events_after(cast.study, before) == []


def test_each_event_links_to_the_hash_of_the_one_before(cast):
    for name in ("North", "South", "East"):
        site_create(actor=cast.owner, study=cast.study, name=name)

    events = list(AuditEvent.objects.filter(study=cast.study).order_by("sequence"))

    assert [event.sequence for event in events] == list(range(1, len(events) + 1))
    previous = GENESIS_HASH
    for event in events:
        assert event.previous_hash == previous
        assert event.hash == chain_hash(previous, event)
        previous = event.hash
    assert AuditChainHead.objects.get(study=cast.study).last_hash == previous


def test_studies_keep_separate_chains(cast):
    site_create(actor=cast.owner, study=cast.study, name="North")
    site_create(actor=cast.outsider, study=cast.other_study, name="North")

    first_of_other = AuditEvent.objects.filter(study=cast.other_study).order_by("sequence").first()

    assert first_of_other.sequence == 1
    assert first_of_other.previous_hash == GENESIS_HASH


# verify_audit -------------------------------------------------------------------------------


def verify(slug: str) -> str:
    out = StringIO()
    call_command("verify_audit", "--study", slug, stdout=out)
    return out.getvalue()


def audited_study(cast) -> list[AuditEvent]:
    for name in ("North", "South", "East"):
        site_create(actor=cast.owner, study=cast.study, name=name)
    return list(AuditEvent.objects.filter(study=cast.study).order_by("sequence"))


def bypassing_the_append_only_trigger(sql: str, params: list) -> None:
    """Change the log behind the services' back, as an intruder with database access could."""
    with connection.cursor() as cursor:
        # Pending deferred checks would block ALTER TABLE: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE dyads_auditevent DISABLE TRIGGER auditevent_append_only")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE dyads_auditevent ENABLE TRIGGER auditevent_append_only")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_verify_audit_reports_an_intact_chain(cast):
    events = audited_study(cast)

    assert verify("tcx") == f"Audit chain of tcx intact: {len(events)} events\n"


def test_verify_audit_counts_an_empty_chain_as_intact(db):
    factories.StudyFactory(slug="empty")

    assert verify("empty") == "Audit chain of empty intact: 0 events\n"


@postgres_only
@pytest.mark.parametrize(
    ("column", "forged", "problem"),
    [
        ("object_id", "999", "content does not match its hash"),
        ("new_value", '{"name": "Forged clinic"}', "payload (old value, new value, reason)"),
        ("reason", "Forged", "payload (old value, new value, reason)"),
    ],
)
def test_verify_audit_names_an_event_whose_content_was_changed(cast, column, forged, problem):
    tampered = audited_study(cast)[1]
    bypassing_the_append_only_trigger(
        f"UPDATE dyads_auditevent SET {column} = %s WHERE id = %s", [forged, tampered.pk]
    )

    with pytest.raises(CommandError) as refused:
        verify("tcx")

    assert refused.value.returncode == 1
    message = str(refused.value)
    assert f"event #{tampered.sequence} (id {tampered.pk}, {tampered.action})" in message
    assert problem in message


@postgres_only
def test_verify_audit_names_the_event_after_a_deleted_one(cast):
    events = audited_study(cast)
    bypassing_the_append_only_trigger("DELETE FROM dyads_auditevent WHERE id = %s", [events[1].pk])

    with pytest.raises(CommandError) as refused:
        verify("tcx")

    assert refused.value.returncode == 1
    assert f"event #{events[2].sequence} (id {events[2].pk}" in str(refused.value)
    assert f"sequence {events[1].sequence} is missing" in str(refused.value)


@postgres_only
def test_verify_audit_notices_events_deleted_from_the_end(cast):
    events = audited_study(cast)
    bypassing_the_append_only_trigger("DELETE FROM dyads_auditevent WHERE id = %s", [events[-1].pk])

    report = audit_verify(study=cast.study)
    with pytest.raises(CommandError) as refused:
        verify("tcx")

    assert not report.intact
    assert report.events_checked == len(events) - 1
    assert refused.value.returncode == 1
    assert f"events #{len(events)} to #{len(events)} are missing from the end" in str(refused.value)


def test_verify_audit_refuses_an_unknown_study(db):
    with pytest.raises(CommandError) as refused:
        verify("no-such-study")

    assert refused.value.returncode == 2
    assert "no-such-study" in str(refused.value)


# The append-only trigger ---------------------------------------------------------------------


@postgres_only
def test_the_database_refuses_to_update_an_audit_event(cast):
    event = audited_study(cast)[-1]

    with pytest.raises(Error, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="Nothing to see here.")

    event.refresh_from_db()
    assert event.reason == ""


@postgres_only
def test_the_database_refuses_to_delete_an_audit_event(cast):
    event = audited_study(cast)[-1]

    with pytest.raises(Error, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


@postgres_only
@pytest.mark.parametrize("table", ["dyads_auditevent", "dyads_auditchainhead"])
def test_the_database_refuses_to_truncate_the_audit_log(cast, table):
    audited_study(cast)

    with (
        pytest.raises(Error, match="TRUNCATE"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL duet.audit_truncate = 'off'")  # as a session starts
        cursor.execute(f"TRUNCATE {table} CASCADE")

    assert AuditEvent.objects.filter(study=cast.study).exists()
    assert AuditChainHead.objects.filter(study=cast.study).exists()
