"""/healthz/ tells a load balancer whether Duet and its database answer."""

from unittest import mock

from django.db import DatabaseError, connection
from django.urls import reverse


def test_it_answers_ok_without_login(db, client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_it_asks_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/healthz/")


def test_it_answers_503_when_the_database_does_not(db, client):
    with mock.patch.object(connection, "cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz/")

    assert response.status_code == 503


def test_it_is_never_cached(db, client):
    response = client.get("/healthz/")

    assert "no-cache" in response["Cache-Control"]


def test_it_refuses_a_post(db, client):
    assert client.post("/healthz/").status_code == 405
