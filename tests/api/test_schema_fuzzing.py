"""Property-based testing of the API against its own OpenAPI schema (schemathesis).

For every operation of /api/v1/schema/, schemathesis generates requests
(bodies, query parameters and ids, valid and invalid) and sends them, as the
owner of a small seeded study, to the WSGI application in process. No answer
may be a server error. The run is bounded: a few examples per operation.

The operations are driven from one test (not schemathesis' pytest plugin,
which does not support pytest 9 yet), so every operation's failure is listed.
"""

import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from tests.api.world import build_world

EXAMPLES_PER_OPERATION = 6


def inside_the_test_transaction(app):
    """The WSGI app, minus Django's closing of the database connection around each
    request (which would end the test's transaction), as Django's test client does."""

    def call(environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = app(environ, start_response)
            try:
                return list(result)
            finally:
                result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return call


def fuzz(operation, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def no_server_error(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error])

    no_server_error()


def test_no_generated_request_gets_a_server_error(cast):
    build_world(cast)
    headers = {"Authorization": f"Token {Token.objects.create(user=cast.owner).key}"}
    app = inside_the_test_transaction(get_wsgi_application())
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", app)
    failures = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            fuzz(operation, headers)
        except Exception as error:  # every operation's failure is listed
            failures.append(f"{operation.method.upper()} {operation.path}: {error}"[:2000])
    assert operations > 50
    assert not failures, "\n\n".join(failures)
