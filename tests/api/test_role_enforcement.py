"""Each role can do what DESIGN.md gives it and nothing more."""

import pytest

from analysis.models import Code, Coding
from dyads.models import AuditEvent, Participant
from tests.conftest import api_as
from tests.factories import CodeFactory


def write_requests(cast):
    code = CodeFactory(study=cast.study)
    return {
        "participant": (
            "post",
            "/api/v1/participants/",
            {"study": cast.study.pk, "role": "client", "pseudonym": "New"},
        ),
        "code": (
            "post",
            "/api/v1/codes/",
            {"study": cast.study.pk, "name": "New code", "rationale": "Needed"},
        ),
        "coding": (
            "post",
            "/api/v1/codings/",
            {"revision": cast.revision.pk, "start": 0, "end": 5, "code": code.pk},
        ),
        "study": ("patch", f"/api/v1/studies/{cast.study.pk}/", {"title": "Renamed"}),
        "member": (
            "post",
            f"/api/v1/studies/{cast.study.pk}/members/",
            {"username": "outsider", "role": "analyst"},
        ),
    }


EXPECTED = {
    "owner": {"participant": 201, "code": 201, "coding": 201, "study": 200, "member": 201},
    "analyst": {"participant": 403, "code": 201, "coding": 201, "study": 403, "member": 403},
    "auditor": {"participant": 403, "code": 403, "coding": 403, "study": 403, "member": 403},
    "interviewer": {"participant": 403, "code": 403, "coding": 403, "study": 403, "member": 403},
    "outsider": {"participant": 400, "code": 400, "coding": 400, "study": 404, "member": 404},
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_gets_the_expected_answer_to_each_write(cast, role):
    client = api_as(cast.user(role))
    for name, (method, url, body) in write_requests(cast).items():
        events_before = AuditEvent.objects.count()
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == EXPECTED[role][name], (name, response.data)
        if response.status_code >= 400:
            assert AuditEvent.objects.count() == events_before, name


def test_an_auditor_reads_the_audit_trail_but_an_analyst_does_not(cast):
    CodeFactory(study=cast.study)
    url = f"/api/v1/audit-events/?study={cast.study.pk}"
    assert api_as(cast.auditor).get(url).status_code == 200
    assert api_as(cast.analyst).get(url).status_code == 403


def test_an_interviewer_sees_interviews_but_not_the_codebook(cast):
    client = api_as(cast.interviewer)
    assert client.get(f"/api/v1/interviews/?study={cast.study.pk}").data["count"] == 2
    assert client.get(f"/api/v1/codes/?study={cast.study.pk}").status_code == 403


def test_refused_writes_leave_no_rows(cast):
    counts = (Participant.objects.count(), Code.objects.count(), Coding.objects.count())
    client = api_as(cast.auditor)
    for method, url, body in write_requests(cast).values():
        getattr(client, method)(url, body, format="json")
    assert (Participant.objects.count(), Code.objects.count() - 1, Coding.objects.count()) == counts
