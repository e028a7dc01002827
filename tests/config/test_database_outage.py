"""A request during a database outage answers 503 with a Retry-After and a clear
message, not 500; persistent connections are health-checked before use."""

from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

from tests.conftest import api_as


def refuse(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


@contextmanager
def database_down():
    """Every query fails, as during a restart (undone before the test database's teardown)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", refuse)
        patch.setattr(CursorWrapper, "executemany", refuse)
        yield


def test_an_api_request_answers_503_with_retry_after(cast):
    client = api_as(cast.analyst)

    with database_down():
        response = client.get("/api/v1/studies/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "database cannot be reached" in response.json()["detail"]


def test_a_page_answers_503_with_a_page_that_needs_no_database(cast):
    client = Client()
    client.force_login(cast.analyst)

    with database_down():
        response = client.get(reverse("study-list"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"Briefly unavailable" in response.content


def test_persistent_connections_are_health_checked():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
