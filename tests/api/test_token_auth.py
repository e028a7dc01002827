from rest_framework.test import APIClient

from tests.factories import PASSWORD


def test_a_member_gets_a_token_and_reads_their_studies_with_it(cast):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": "analyst", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")

    studies = client.get("/api/v1/studies/")

    assert studies.status_code == 200
    assert [study["slug"] for study in studies.data["results"]] == ["tcx"]
    assert studies.data["results"][0]["role"] == "analyst"


def test_a_wrong_password_gets_no_token(cast):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "analyst", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.data


def test_a_revoked_token_no_longer_authenticates(cast):
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": "owner", "password": PASSWORD}, format="json"
    ).data["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert client.get("/api/v1/studies/").status_code == 401


def test_anonymous_requests_are_refused(cast):
    assert APIClient().get("/api/v1/studies/").status_code in (401, 403)
