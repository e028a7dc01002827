"""Browsers ask every site for /favicon.ico: Duet answers with its icon, not a 404."""

from django.contrib.staticfiles import finders


def test_favicon_ico_leads_to_the_icon(db, client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("img/duet.svg")
    assert finders.find("img/duet.svg")


def test_pages_link_the_icon(db, client):
    response = client.get("/accounts/login/")

    assert b'rel="icon"' in response.content
