"""Logging in, logging out (a POST from the nav) and changing one's password."""

from django.urls import reverse

from tests import factories


def test_the_login_page_shows_a_form(db, client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert '<button type="submit" class="button">Log in</button>' in html


def test_logging_in_lands_on_the_study_list(cast, client):
    response = client.post(
        reverse("login"),
        {"username": "analyst", "password": factories.PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("study-list")
    assert "Therapist and client experiences" in response.content.decode()


def test_logging_in_returns_to_the_page_asked_for(cast, client):
    wanted = reverse("study-overview", args=["tcx"])

    response = client.post(
        f"{reverse('login')}?next={wanted}",
        {"username": "analyst", "password": factories.PASSWORD, "next": wanted},
    )

    assert response.status_code == 302
    assert response.url == wanted


def test_a_wrong_password_is_refused_with_a_message(cast, client):
    response = client.post(reverse("login"), {"username": "analyst", "password": "wrong"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_nav_logs_out_with_a_post_form(cast, client_as):
    html = client_as(cast.owner).get(reverse("study-list")).content.decode()

    assert f'<form method="post" action="{reverse("logout")}">' in html
    assert "csrfmiddlewaretoken" in html
    assert reverse("password_change") in html


def test_logging_out_returns_to_the_login_page(cast, client_as):
    client = client_as(cast.owner)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("study-list")).status_code == 302


def test_the_password_change_page_shows_a_form(cast, client_as):
    response = client_as(cast.owner).get(reverse("password_change"))

    assert response.status_code == 200
    html = response.content.decode()
    for field in ["old_password", "new_password1", "new_password2"]:
        assert f'name="{field}"' in html


def test_changing_the_password_shows_the_done_page(cast, client_as):
    client = client_as(cast.owner)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": "a-much-longer-passphrase",
            "new_password2": "a-much-longer-passphrase",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Password changed" in response.content.decode()
    cast.owner.refresh_from_db()
    assert cast.owner.check_password("a-much-longer-passphrase")


def test_a_weak_new_password_is_refused_with_the_reason(cast, client_as):
    response = client_as(cast.owner).post(
        reverse("password_change"),
        {"old_password": factories.PASSWORD, "new_password1": "123", "new_password2": "123"},
    )

    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()


def test_the_password_change_page_needs_a_login(db, client):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
