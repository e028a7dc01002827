"""audit_verify's fast path and its parallel segments give the same verdict as the
hash's definition: a fast-path mismatch is re-checked, never reported on its own."""

import datetime as dt
import hashlib
import json
import uuid

import pytest
from django.db import connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from dyads.audit import audit_record, audit_verify, canonical_bytes, payload_digest, value_json
from dyads.models import AuditEvent
from dyads.services import site_create
from tests import factories

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="segments run in parallel on PostgreSQL only"
)


def test_values_that_orjson_writes_differently_still_verify(cast):
    with transaction.atomic():
        audit_record(
            study=cast.study,
            actor=cast.owner,
            action="test.values",
            object_type="x",
            object_id=1,
            new={"tiny": 1e-07, "huge": 2**70, "text": "tab\there, ünïcode ✓, \u2028"},
            reason='quote " and backslash \\',
        )

    report = audit_verify(study=cast.study)

    assert report.intact, report


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(
    actor=st.none() | st.integers(min_value=1),
    created_at=st.datetimes(timezones=st.just(dt.UTC)),
    strings=st.tuples(st.text(), st.text(), st.text()),
    digest=st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    request_id=st.none() | st.uuids(),
)
def test_the_canonical_form_is_the_sorted_compact_json_of_the_event(
    actor, created_at, strings, digest, request_id: uuid.UUID | None
):
    action, object_type, object_id = strings
    as_json = {
        "study": 7,
        "sequence": 12,
        "actor": actor,
        "created_at": created_at.isoformat(timespec="microseconds"),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "payload": digest,
        "request_id": str(request_id) if request_id else None,
    }
    canonical = canonical_bytes(
        7, 12, actor, created_at, action, object_type, object_id, digest, request_id
    )

    assert canonical == sorted_compact_json(as_json)


@given(old=json_values, new=json_values, reason=st.text(), salt=st.text())
def test_the_payload_digest_covers_the_sorted_compact_json_of_the_payload(old, new, reason, salt):
    as_json = {"old_value": old, "new_value": new, "reason": reason, "salt": salt}

    digest = payload_digest(value_json(old), value_json(new), reason, salt)

    assert digest == hashlib.sha256(sorted_compact_json(as_json)).hexdigest()


def sorted_compact_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def tamper(event: AuditEvent) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE dyads_auditevent DISABLE TRIGGER auditevent_append_only")
        cursor.execute("UPDATE dyads_auditevent SET reason = 'forged' WHERE id = %s", [event.pk])
        cursor.execute("ALTER TABLE dyads_auditevent ENABLE TRIGGER auditevent_append_only")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_segments_verify_a_chain_and_name_its_first_broken_link():
    owner = factories.UserFactory(username="owner")
    study = factories.StudyFactory(slug="long")
    factories.MembershipFactory(study=study, user=owner, role="owner")
    for number in range(30):
        site_create(actor=owner, study=study, name=f"Clinic {number}")
    events = list(AuditEvent.objects.filter(study=study).order_by("sequence"))

    intact = audit_verify(study=study, workers=3)
    tamper(events[11])
    tamper(events[24])
    broken = audit_verify(study=study, workers=3)

    assert intact.intact and intact.events_checked == 30
    assert broken.first_broken == events[11]
    assert broken.problem.startswith("its payload (old value, new value, reason) does not match")
    assert broken.events_checked == 11
