"""Re-coding: `PATCH /api/v1/codings/{id}/ {code}` gives a coding another code
in place, so that its memos stay with it; the audit trail records both codes.
Only the coder or an owner may, never in a closed session, and a refused
re-code leaves the coding as it was."""

import pytest

from analysis.coding.models import Coding, SessionState
from analysis.coding.services.codings import coding_create
from analysis.coding.services.memos import memo_create
from dyads.models import AuditEvent
from tests import factories
from tests.conftest import api_as


@pytest.fixture
def codes(cast):
    return (
        factories.CodeFactory(study=cast.study, name="Safety"),
        factories.CodeFactory(study=cast.study, name="Trust"),
    )


@pytest.fixture
def coding(cast, codes):
    return coding_create(actor=cast.analyst, revision=cast.revision, start=0, end=4, code=codes[0])


def recode(user, coding, code_id):
    return api_as(user).patch(f"/api/v1/codings/{coding.pk}/", {"code": code_id}, format="json")


def test_a_coder_recodes_their_coding_and_its_memo_stays_with_it(cast, codes, coding):
    memo = memo_create(actor=cast.analyst, study=cast.study, text="Felt safe here", coding=coding)

    response = recode(cast.analyst, coding, codes[1].pk)

    assert response.status_code == 200, response.data
    assert response.data["code"] == codes[1].pk
    assert response.data["id"] == coding.pk
    coding.refresh_from_db()
    assert coding.code == codes[1]
    memo.refresh_from_db()
    assert memo.coding == coding
    event = AuditEvent.objects.get(action="coding.recode")
    assert (event.old_value, event.new_value) == ({"code": codes[0].pk}, {"code": codes[1].pk})


def test_an_owner_may_recode_anyones_coding(cast, codes, coding):
    assert recode(cast.owner, coding, codes[1].pk).status_code == 200


def unchanged(coding, code) -> bool:
    coding.refresh_from_db()
    return coding.code == code and not AuditEvent.objects.filter(action="coding.recode").exists()


def test_another_analyst_may_not_recode_someone_elses_coding(cast, codes, coding):
    other = factories.UserFactory(username="kari")
    factories.MembershipFactory(study=cast.study, user=other)

    response = recode(other, coding, codes[1].pk)

    assert response.status_code == 403
    assert unchanged(coding, codes[0])


@pytest.mark.parametrize(
    ("body", "message"),
    [({}, "required"), ({"code": 999_999}, "does not exist"), ({"code": "x"}, "Incorrect type")],
)
def test_a_bad_code_is_refused_naming_the_field(cast, codes, coding, body, message):
    response = api_as(cast.analyst).patch(f"/api/v1/codings/{coding.pk}/", body, format="json")

    assert response.status_code == 400
    assert message in str(response.data["code"])
    assert unchanged(coding, codes[0])


def test_recoding_to_the_same_code_is_refused(cast, codes, coding):
    response = recode(cast.analyst, coding, codes[0].pk)

    assert response.status_code == 400
    assert "already has the code 'Safety'" in response.data["code"]
    assert unchanged(coding, codes[0])


def test_a_code_of_another_study_is_refused_as_not_existing(cast, codes, coding):
    foreign = factories.CodeFactory(study=cast.other_study)

    response = recode(cast.analyst, coding, foreign.pk)

    assert response.status_code == 400
    assert "does not exist" in str(response.data["code"])
    assert unchanged(coding, codes[0])


def test_a_removed_coding_cannot_be_recoded(cast, codes, coding):
    api_as(cast.analyst).delete(f"/api/v1/codings/{coding.pk}/")

    response = recode(cast.analyst, coding, codes[1].pk)

    assert response.status_code == 404
    assert Coding.objects.get(pk=coding.pk).code == codes[0]


def test_the_codings_of_a_closed_session_are_final(cast, codes):
    session = factories.CodingSessionFactory(
        study=cast.study, coders=[cast.analyst], transcripts=[cast.revision.transcript]
    )
    coding = coding_create(
        actor=cast.analyst,
        revision=cast.revision,
        start=0,
        end=4,
        code=codes[0],
        session=session,
    )
    session.state = SessionState.CLOSED
    session.save()

    recoded = recode(cast.analyst, coding, codes[1].pk)
    removed = api_as(cast.analyst).delete(f"/api/v1/codings/{coding.pk}/")

    assert (recoded.status_code, removed.status_code) == (400, 400)
    assert "final" in recoded.data["session"]
    coding.refresh_from_db()
    assert (coding.code, coding.deleted_at) == (codes[0], None)
