"""A Celery worker keeps its database connection from one task to the next, as a web
process does between requests, and replaces it when it is too old."""

import time
from types import SimpleNamespace

import pytest
from celery.fixups.django import DjangoWorkerFixup
from django.db import connection, transaction

from config.celery import app, replace_unusable_database_connections

pytestmark = pytest.mark.django_db(transaction=True)


def backend() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_backend_pid()" if connection.vendor == "postgresql" else "SELECT 1"
        )
        return cursor.fetchone()[0]


def task(eager: bool) -> SimpleNamespace:
    return SimpleNamespace(request=SimpleNamespace(is_eager=eager))


def test_celery_does_not_close_the_connection_around_each_task():
    first = backend()
    fixup = DjangoWorkerFixup(app)

    for _ in range(10):
        fixup.on_task_prerun(task(eager=False))
        fixup.on_task_postrun(task(eager=False))

    assert backend() == first
    assert connection.connection is not None


def test_between_tasks_a_connection_is_kept_until_it_outlives_its_maximum_age():
    first = backend()
    # This test process may have opened its connection more than CONN_MAX_AGE ago.
    connection.close_at = time.monotonic() + 60

    replace_unusable_database_connections(task(eager=False))
    assert backend() == first

    connection.close_at = time.monotonic() - 1
    replace_unusable_database_connections(task(eager=False))
    assert connection.connection is None


def test_a_task_run_eagerly_leaves_the_callers_transaction_alone():
    with transaction.atomic():
        first = backend()
        connection.close_at = time.monotonic() - 1

        replace_unusable_database_connections(task(eager=True))

        assert backend() == first
        assert not connection.needs_rollback
