"""The same coder applies a code to a span once (per session, or outside any): a second
identical coding is refused with a clear message, by the service and by the database's
partial unique index, and leaves the data as it was. Other coders, codes, spans or
sessions, and a removed first coding, do not count."""

import pytest
from django.db import IntegrityError
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from analysis.coding.models import Coding, SessionMode
from analysis.coding.services.codings import coding_create, coding_delete, coding_recode
from analysis.coding.services.sessions import coding_session_create
from dyads.exceptions import DomainError
from dyads.models import AuditEvent
from tests import factories
from tests.conftest import api_as


@pytest.fixture
def code(cast):
    return factories.CodeFactory(study=cast.study, name="Safety")


def post(user, revision, code, start=3, end=9, **extra):
    body = {"revision": revision.pk, "start": start, "end": end, "code": code.pk, **extra}
    return api_as(user).post("/api/v1/codings/", body, format="json")


def written() -> tuple[int, int]:
    return Coding.objects.count(), AuditEvent.objects.count()


def test_the_api_refuses_the_same_coding_twice_and_writes_nothing(cast, code):
    assert post(cast.analyst, cast.revision, code).status_code == 201
    before = written()

    response = post(cast.analyst, cast.revision, code)

    assert response.status_code == 400
    assert response.data["code"] == "You have already applied 'Safety' to this span."
    assert written() == before


def test_another_coder_code_span_or_session_is_not_a_duplicate(cast, code):
    other = factories.CodeFactory(study=cast.study, name="Trust")
    session = coding_session_create(
        actor=cast.owner,
        study=cast.study,
        name="Round 1",
        mode=SessionMode.OPEN,
        coders=[cast.analyst],
        transcripts=[cast.revision.transcript],
    )
    assert post(cast.analyst, cast.revision, code).status_code == 201

    assert post(cast.owner, cast.revision, code).status_code == 201
    assert post(cast.analyst, cast.revision, other).status_code == 201
    assert post(cast.analyst, cast.revision, code, end=10).status_code == 201
    assert post(cast.analyst, cast.revision, code, session=session.pk).status_code == 201


def test_after_a_removal_the_same_coding_may_be_made_again(cast, code):
    first = coding_create(actor=cast.analyst, revision=cast.revision, start=3, end=9, code=code)
    coding_delete(actor=cast.analyst, coding=first)

    assert post(cast.analyst, cast.revision, code).status_code == 201


def test_recoding_into_a_duplicate_is_refused_and_changes_nothing(cast, code):
    other = factories.CodeFactory(study=cast.study, name="Trust")
    coding_create(actor=cast.analyst, revision=cast.revision, start=3, end=9, code=other)
    coding = coding_create(actor=cast.analyst, revision=cast.revision, start=3, end=9, code=code)
    before = written()

    with pytest.raises(DomainError, match="already applied 'Trust'"):
        coding_recode(actor=cast.analyst, coding=coding, code=other)

    assert written() == before
    assert Coding.objects.get(pk=coding.pk).code == code


def test_the_database_refuses_a_duplicate_that_bypasses_the_service(cast, code):
    factories.CodingFactory(revision=cast.revision, code=code, coder=cast.analyst, start=3, end=9)

    with pytest.raises(IntegrityError, match="one_live_coding_per_coder_code_span"):
        factories.CodingFactory(
            revision=cast.revision, code=code, coder=cast.analyst, start=3, end=9
        )


class TestSpans(TestCase):
    """Whatever the span, a second identical coding is refused and a first one accepted."""

    @settings(max_examples=20, deadline=None)
    @given(start=st.integers(0, 150), length=st.integers(1, 30))
    def test_a_span_is_coded_once_per_coder_and_code(self, start, length):
        revision = factories.RevisionFactory()
        study = revision.transcript.interview.study
        coder = factories.UserFactory()
        factories.MembershipFactory(study=study, user=coder)
        code = factories.CodeFactory(study=study)
        end = min(start + length, len(revision.text))

        coding_create(actor=coder, revision=revision, start=start, end=end, code=code)
        before = written()
        with pytest.raises(DomainError):
            coding_create(actor=coder, revision=revision, start=start, end=end, code=code)

        assert written() == before
