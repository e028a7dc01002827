"""Every study page is for the study's members only: a non-member gets 404 (so
slugs do not leak), an anonymous visitor the login page, and an object of
another study requested under this study's slug is a 404."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dyads.models import Study, StudyMembership
from tests import factories
from tests.pages.conftest import MEMBER_ROLES


def without_csrf_token(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", html)


def study_urls(cast, slug: str = "tcx") -> list[str]:
    return [
        reverse("study-overview", args=[slug]),
        reverse("dyad-detail", args=[slug, cast.dyad.pk]),
        reverse("interview-detail", args=[slug, cast.therapist_interview.pk]),
        reverse("interview-detail", args=[slug, cast.client_interview.pk]),
    ]


def test_it_answers_404_to_a_member_of_another_study_on_every_study_page(cast, client_as):
    client = client_as(cast.outsider)

    for url in study_urls(cast):
        assert client.get(url).status_code == 404, url


def test_it_answers_the_same_404_for_a_study_that_does_not_exist(cast, client_as):
    client = client_as(cast.outsider)

    existing = client.get(reverse("study-overview", args=["tcx"]))
    missing = client.get(reverse("study-overview", args=["no-such-study"]))

    assert existing.status_code == missing.status_code == 404
    assert without_csrf_token(existing.content) == without_csrf_token(missing.content)


def test_it_sends_anonymous_visitors_to_the_login_page_from_every_study_page(cast, client):
    login = reverse("login")

    for url in study_urls(cast):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{login}?next={url}"


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_it_answers_404_for_another_studys_objects_under_this_studys_slug(cast, client_as, role):
    other_dyad = factories.DyadFactory(study=cast.other_study)
    other_interview = factories.InterviewFactory(participant=other_dyad.client, dyad=other_dyad)
    client = client_as(cast.user(role))

    assert client.get(reverse("dyad-detail", args=["tcx", other_dyad.pk])).status_code == 404
    assert (
        client.get(reverse("interview-detail", args=["tcx", other_interview.pk])).status_code == 404
    )


def test_it_answers_404_for_this_studys_objects_under_another_studys_slug(cast, client_as):
    client = client_as(cast.outsider)

    for url in study_urls(cast, slug="other")[1:]:
        assert client.get(url).status_code == 404, url


def test_it_answers_404_to_a_member_who_has_been_removed(cast, client_as):
    StudyMembership.objects.filter(user=cast.analyst).update(removed_at=timezone.now())
    client = client_as(cast.analyst)

    for url in study_urls(cast):
        assert client.get(url).status_code == 404, url


def test_it_answers_404_on_every_page_of_a_deleted_study(cast, client_as):
    Study.objects.filter(pk=cast.study.pk).update(deleted_at=timezone.now())
    client = client_as(cast.owner)

    for url in study_urls(cast):
        assert client.get(url).status_code == 404, url


def test_it_answers_404_for_an_interview_that_does_not_exist(cast, client_as):
    response = client_as(cast.owner).get(reverse("interview-detail", args=["tcx", 999_999]))

    assert response.status_code == 404
    assert "There is no such page" in response.content.decode()
