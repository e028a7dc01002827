"""audit_verify's fast path and its parallel segments give the same verdict as the
hash's definition: a fast-path mismatch is re-checked, never reported on its own."""

import pytest
from django.db import connection, transaction

from dyads.audit import audit_record, audit_verify
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
    assert broken.problem == "content does not match its hash"
    assert broken.events_checked == 11
