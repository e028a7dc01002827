"""The study list at / shows the studies the user is a member of, with their role."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dyads.models import Study, StudyMembership
from tests import factories
from tests.pages.conftest import MEMBER_ROLES

URL = reverse("study-list")


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_it_lists_the_study_with_the_members_role(cast, client_as, role):
    response = client_as(cast.user(role)).get(URL)

    assert response.status_code == 200
    assert response.templates[0].name == "dyads/study_list.html"
    html = response.content.decode()
    assert "Therapist and client experiences" in html
    assert reverse("study-overview", args=["tcx"]) in html
    assert f'class="badge badge-{role}"' in html


def test_it_counts_the_studys_dyads_and_participants(cast, client_as, grow):
    grow(cast.study, dyads=2)

    response = client_as(cast.owner).get(URL)

    (membership,) = response.context["memberships"]
    assert membership.dyad_count == 3
    assert membership.participant_count == 6


def test_it_leaves_out_studies_the_user_is_not_a_member_of(cast, client_as):
    html = client_as(cast.owner).get(URL).content.decode()

    assert "Another group&#x27;s study" not in html
    assert reverse("study-overview", args=["other"]) not in html


def test_it_shows_the_outsider_only_their_own_study(cast, client_as):
    html = client_as(cast.outsider).get(URL).content.decode()

    assert "Another group&#x27;s study" in html
    assert "Therapist and client experiences" not in html


def test_it_leaves_out_a_study_the_user_was_removed_from(cast, client_as):
    StudyMembership.objects.filter(user=cast.analyst).update(removed_at=timezone.now())

    html = client_as(cast.analyst).get(URL).content.decode()

    assert "Therapist and client experiences" not in html
    assert "You are not a member of any study yet" in html


def test_it_leaves_out_deleted_studies(cast, client_as):
    Study.objects.filter(pk=cast.study.pk).update(deleted_at=timezone.now())

    html = client_as(cast.owner).get(URL).content.decode()

    assert "Therapist and client experiences" not in html


def test_it_tells_a_user_without_studies_how_to_get_one(db, client_as):
    loner = factories.UserFactory(username="loner")

    html = client_as(loner).get(URL).content.decode()

    assert "You are not a member of any study yet" in html


def test_it_sends_anonymous_visitors_to_the_login_page(db, client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"
