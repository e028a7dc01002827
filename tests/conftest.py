"""The cast every test can use: one study with an owner, an analyst, an auditor
and an interviewer, one dyad with interviews and a transcript, and an outsider
who is a member of another study only."""

import os
import uuid
from dataclasses import dataclass

import pytest
from django.db.backends.signals import connection_created
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from dyads.models import Dyad, Role, Study
from interviews.models import Interview, TranscriptRevision
from tests import factories
from tests.analysis.agreement_setup import rounds_computed  # noqa: F401 (a fixture, shared)
from tests.workers import worker  # noqa: F401 (a fixture: a real Celery worker, for `worker` tests)

# CI (.ci/run) draws the same examples on every run, so that a submission passes or
# fails on its own code; a run elsewhere draws new ones and may find a new edge case.
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def flush_may_truncate_the_audit_log(sender, connection, **kwargs) -> None:
    """Django flushes the database with TRUNCATE between transactional tests; the audit
    log's tables refuse TRUNCATE unless the session says otherwise (dyads/0010)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET duet.audit_truncate = 'on'")


connection_created.connect(flush_may_truncate_the_audit_log)


@dataclass
class Cast:
    study: Study
    other_study: Study
    owner: object
    analyst: object
    auditor: object
    interviewer: object
    outsider: object
    dyad: Dyad
    therapist_interview: Interview
    client_interview: Interview
    revision: TranscriptRevision

    def user(self, role: str):
        return getattr(self, role)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests do not need it to be."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def cache_of_its_own(settings):
    """Each test starts with an empty cache (presence, throttle counts): a key
    prefix of its own, so that Redis keys of earlier tests and runs do not count."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": uuid.uuid4().hex}}


ROLES = ["owner", "analyst", "auditor", "interviewer", "outsider"]


@pytest.fixture
def cast(db) -> Cast:
    study = factories.StudyFactory(title="Therapist and client experiences", slug="tcx")
    other_study = factories.StudyFactory(title="Another group's study", slug="other")
    users = {}
    for role in [Role.OWNER, Role.ANALYST, Role.AUDITOR, Role.INTERVIEWER]:
        users[role.value] = factories.UserFactory(username=role.value)
        factories.MembershipFactory(study=study, user=users[role.value], role=role)
    outsider = factories.UserFactory(username="outsider")
    factories.MembershipFactory(study=other_study, user=outsider, role=Role.OWNER)
    dyad = factories.DyadFactory(study=study, label="Dyad 1")
    therapist_interview = factories.InterviewFactory(
        participant=dyad.therapist, dyad=dyad, sequence_number=1
    )
    client_interview = factories.InterviewFactory(
        participant=dyad.client, dyad=dyad, sequence_number=1
    )
    revision = factories.revision_for(client_interview)
    return Cast(
        study=study,
        other_study=other_study,
        outsider=outsider,
        dyad=dyad,
        therapist_interview=therapist_interview,
        client_interview=client_interview,
        revision=revision,
        **users,
    )


@pytest.fixture
def api(db) -> APIClient:
    return APIClient()


def api_as(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
