"""After repeated failed passwords a username is locked out, on the login page and
at the API token endpoint alike, even when the right password follows."""

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import PASSWORD


def fail_logins(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        client.post(reverse("login"), {"username": username, "password": "wrong"})


def test_the_login_page_refuses_the_right_password_after_too_many_failures(cast, settings):
    client = Client()
    fail_logins(client, "analyst", settings.AXES_FAILURE_LIMIT)

    response = client.post(reverse("login"), {"username": "analyst", "password": PASSWORD})

    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(cast, settings):
    client = Client()
    fail_logins(client, "analyst", settings.AXES_FAILURE_LIMIT - 1)

    response = client.post(reverse("login"), {"username": "analyst", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.analyst.pk)


def test_the_token_endpoint_refuses_the_right_password_after_too_many_failures(cast, settings):
    client = APIClient()
    answers = [
        client.post("/api/v1/auth/token/", {"username": "owner", "password": "x"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the last one locks

    response = client.post("/api/v1/auth/token/", {"username": "owner", "password": PASSWORD})

    assert response.status_code == 429
    assert "token" not in response.json()
    assert "locked" in response.json()["detail"]


def test_failures_on_the_page_lock_the_api_too(cast, settings):
    fail_logins(Client(), "owner", settings.AXES_FAILURE_LIMIT)
    response = APIClient().post("/api/v1/auth/token/", {"username": "owner", "password": PASSWORD})
    assert response.status_code == 429


def test_the_token_endpoint_is_throttled_per_client(cast):
    client = APIClient()
    answers = [client.delete("/api/v1/auth/token/").status_code for _ in range(12)]
    assert answers[:10] == [401] * 10
    assert answers[10:] == [429, 429]


def test_failures_from_one_address_lock_it_whichever_usernames_are_tried(cast, settings):
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": f"guess{n}", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 429
