"""An auditor reads everything and writes nothing but audit comments — and the audit
rounds they consist of (drawing a sample, recording findings, signing off).

Every write endpoint of /api/v1/ is enumerated from config/api_urls.py (router and
extra routes), so a new endpoint is covered as soon as it exists; its request comes
from the role matrix (tests/api/test_role_matrix.py), where it must have a row.
"""

import pytest

from tests.api.test_role_matrix import MATRIX, api_endpoints, request_as
from tests.api.world import build_world
from tests.conftest import api_as
from tests.dyads.service_calls import row_counts

AUDITORS_OWN = {
    ("auditcomment-list", "POST"),
    ("auditround-list", "POST"),
    ("auditround-sign-off", "POST"),
    ("auditfinding-record", "POST"),
}
# Writes that are not writes in a study the auditor audits.
NOT_IN_THE_STUDY = {
    ("api-token", "POST"),  # signing in
    ("api-token", "DELETE"),  # signing out
    ("study-list", "POST"),  # founding a study of one's own
    # An export reads the study; the auditor gets a job row (a download ticket) of their own.
    ("api-study-exports", "POST"),
    # The coding page's heartbeat: who is looking at a transcript now, kept in the cache.
    ("revision-presence", "POST"),
}
WRITES = sorted(endpoint for endpoint in api_endpoints() if endpoint[1] != "GET")


def test_every_write_endpoint_has_a_request_that_someone_may_make():
    missing = [endpoint for endpoint in WRITES if endpoint not in MATRIX]
    assert not missing, f"add rows to tests/api/test_role_matrix.py MATRIX for {missing}"
    unproven = [e for e in WRITES if not any(s < 300 for s in MATRIX[e].expected.values())]
    assert not unproven, f"no role succeeds with these rows' requests: {unproven}"


@pytest.mark.parametrize(
    "endpoint",
    [e for e in WRITES if e not in AUDITORS_OWN | NOT_IN_THE_STUDY],
    ids=lambda e: f"{e[1]} {e[0]}",
)
def test_an_auditor_is_refused_and_nothing_changes(cast, endpoint):
    if endpoint not in MATRIX:
        pytest.fail(f"add a row to tests/api/test_role_matrix.py MATRIX for {endpoint}")
    world = build_world(cast)
    row = MATRIX[endpoint]
    url, body = row.url(world), row.body(world) if row.body else None
    before = row_counts()

    response = getattr(api_as(cast.auditor), endpoint[1].lower())(url, body, format=row.format)

    assert response.status_code in (403, 404), (response.status_code, response.content[:300])
    assert row_counts() == before


@pytest.mark.parametrize("endpoint", sorted(AUDITORS_OWN), ids=lambda e: f"{e[1]} {e[0]}")
def test_an_auditor_may_comment_and_run_audit_rounds(cast, endpoint):
    world = build_world(cast)

    response = request_as(world, "auditor", endpoint[1], MATRIX[endpoint])

    assert response.status_code in (200, 201), response.content[:300]
