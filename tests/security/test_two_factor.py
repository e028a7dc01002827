"""Optional TOTP two-factor sign-in: once on, the login page and the token
endpoint ask for the code after the password; owners are prompted to turn it on."""

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from tests.factories import PASSWORD


def current_code(device: TOTPDevice) -> str:
    """The device's current code, usable again (a code is accepted once per time step)."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def turn_on(client: Client, user) -> TOTPDevice:
    client.force_login(user)
    client.post(reverse("twofactor"), {"step": "start"})
    device = TOTPDevice.objects.get(user=user)
    assert client.get(reverse("twofactor-qr"))["Content-Type"] == "image/svg+xml"
    client.post(reverse("twofactor"), {"step": "confirm", "code": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    client.logout()
    return device


def test_with_two_factor_on_the_password_alone_does_not_log_in(cast):
    client = Client()
    device = turn_on(client, cast.owner)

    step_one = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert step_one.status_code == 302 and step_one["Location"] == reverse("login-2fa")
    assert "_auth_user_id" not in client.session

    wrong = client.post(reverse("login-2fa"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session

    right = client.post(reverse("login-2fa"), {"code": current_code(device)})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.owner.pk)


def test_the_token_endpoint_asks_for_the_code_too(cast):
    device = turn_on(Client(), cast.owner)
    api = APIClient()
    without = api.post("/api/v1/auth/token/", {"username": "owner", "password": PASSWORD})
    assert without.status_code == 400 and "otp" in without.data
    with_code = api.post(
        "/api/v1/auth/token/",
        {"username": "owner", "password": PASSWORD, "otp": current_code(device)},
    )
    assert with_code.status_code == 200 and with_code.data["token"]


def test_a_wrong_confirmation_code_leaves_two_factor_off(cast):
    client = Client()
    client.force_login(cast.analyst)
    client.post(reverse("twofactor"), {"step": "start"})
    response = client.post(reverse("twofactor"), {"step": "confirm", "code": "123456"})
    assert b"not right" in response.content
    assert not TOTPDevice.objects.filter(user=cast.analyst, confirmed=True).exists()


def test_owners_without_two_factor_are_prompted_others_are_not(cast):
    client = Client()
    client.force_login(cast.owner)
    assert b"Turn on two-factor sign-in" in client.get(reverse("study-list")).content
    client.force_login(cast.analyst)
    assert b"Turn on two-factor sign-in" not in client.get(reverse("study-list")).content


def test_the_admin_login_goes_through_the_two_factor_login_page(cast, client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
