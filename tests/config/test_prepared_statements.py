"""On PostgreSQL a query a connection runs often is prepared by the server once, so that
its plan is not made again at every request."""

import pytest
from django.db import connection

from dyads.models import Study

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
    ),
]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_query_run_often_is_prepared_with_its_parameters_bound_by_the_server():
    for slug in ["a", "b", "c", "d", "e", "f"]:
        list(Study.objects.filter(slug=slug))

    found = [sql for sql in prepared_statements() if '"dyads_study"."slug" = $1' in sql]

    assert found, prepared_statements()
