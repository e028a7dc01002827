"""The demo's audit trail carries the dates of its months of work, in order, and verifies."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from analysis.demo.study import MEETINGS
from dyads.audit import audit_verify
from dyads.models import AuditEvent, Study


@pytest.fixture(scope="module")
def events(django_db_setup, django_db_blocker):
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        study = Study.objects.get(slug="demo")
        yield study, list(AuditEvent.objects.filter(study=study).order_by("sequence"))
        transaction.set_rollback(True)


def test_the_trail_spans_months_and_never_goes_back_in_time(events):
    _, trail = events
    times = [event.created_at for event in trail]

    assert times == sorted(times)
    assert len({time.strftime("%Y-%m") for time in times}) >= 8


def test_each_meeting_is_recorded_on_its_own_date(events):
    _, trail = events
    meetings = [e.created_at.date() for e in trail if e.action == "meeting.create"]

    assert meetings == [meeting["date"] for meeting in MEETINGS]


def test_the_dated_chain_still_verifies(events, db):
    study, _ = events

    assert audit_verify(study=study).first_broken is None
