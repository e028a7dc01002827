"""A password change revokes the user's API tokens; one function decides the client's
address for the token throttle, the lock-out and the access log, trusting
X-Forwarded-For only as far as the configured proxies."""

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from dyads.network import client_ip
from tests.factories import PASSWORD

NEW_PASSWORD = "another-horse-battery-staple"


def token_for(username: str) -> str:
    response = APIClient().post("/api/v1/auth/token/", {"username": username, "password": PASSWORD})
    assert response.status_code == 200
    return response.json()["token"]


def studies_with(token: str) -> int:
    return APIClient().get("/api/v1/studies/", HTTP_AUTHORIZATION=f"Token {token}").status_code


def test_a_token_stops_working_after_a_password_change_on_the_page(cast):
    token = token_for("analyst")
    assert studies_with(token) == 200
    page = Client()
    page.force_login(cast.analyst)

    response = page.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert studies_with(token) == 401


def test_a_token_stops_working_after_a_password_reset(cast):
    token = token_for("owner")
    form = SetPasswordForm(
        cast.owner, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert form.is_valid()

    form.save()

    assert studies_with(token) == 401


def test_other_saves_of_the_user_keep_the_token(cast):
    token = token_for("analyst")
    cast.analyst.first_name = "Ada"
    cast.analyst.save()

    assert studies_with(token) == 200


def test_14_token_requests_with_different_forwarded_addresses_are_throttled(cast, settings):
    settings.TRUSTED_PROXY_COUNT = 0  # the default, production included
    client = APIClient()

    answers = [
        client.post(
            "/api/v1/auth/token/",
            {"username": "owner", "password": PASSWORD},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{index}",
        ).status_code
        for index in range(14)
    ]

    assert answers[:10] == [200] * 10
    assert answers[10:] == [429] * 4


def test_behind_one_proxy_addresses_a_client_prepends_do_not_count(cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = APIClient()

    answers = [
        client.post(
            "/api/v1/auth/token/",
            {"username": "owner", "password": PASSWORD},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{index}, 203.0.113.7",
        ).status_code
        for index in range(14)
    ]

    assert answers[10:] == [429] * 4


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "198.51.100.1", "192.0.2.10"),
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "198.51.100.1", "192.0.2.10"),  # fewer hops than proxies: the connection's
        (1, "not-an-address", "192.0.2.10"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def test_django_axes_uses_the_same_function(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1"
    )

    assert settings.AXES_CLIENT_IP_CALLABLE == "dyads.network.client_ip"
    assert get_client_ip_address(request) == "198.51.100.1"
