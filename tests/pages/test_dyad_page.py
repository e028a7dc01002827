"""The dyad page puts the therapist's and the client's interviews side by side."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dyads.models import Dyad
from interviews.models import InterviewFocus, InterviewTiming
from tests import factories
from tests.pages.conftest import MEMBER_ROLES


def url(dyad) -> str:
    return reverse("dyad-detail", args=["tcx", dyad.pk])


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_it_shows_the_dyad_to_every_member_role(cast, client_as, role):
    response = client_as(cast.user(role)).get(url(cast.dyad))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Dyad 1</h1>" in html
    assert f'class="badge badge-{role}"' in html
    assert f'Therapist <span class="pseudonym">{cast.dyad.therapist.pseudonym}</span>' in html
    assert f'Client <span class="pseudonym">{cast.dyad.client.pseudonym}</span>' in html
    assert reverse("interview-detail", args=["tcx", cast.therapist_interview.pk]) in html
    assert reverse("interview-detail", args=["tcx", cast.client_interview.pk]) in html


def test_it_orders_each_side_by_sequence_number_with_focus_timing_and_date(cast, client_as):
    for number in [3, 2]:
        factories.InterviewFactory(
            participant=cast.dyad.therapist,
            dyad=cast.dyad,
            sequence_number=number,
            focus=InterviewFocus.BACKGROUND,
            timing=InterviewTiming.DURING,
            date=dt.date(2026, 1, number),
        )

    response = client_as(cast.analyst).get(url(cast.dyad))

    detail = response.context["detail"]
    assert [i.sequence_number for i in detail.therapist_interviews] == [1, 2, 3]
    assert [i.sequence_number for i in detail.client_interviews] == [1]
    html = response.content.decode()
    assert "Personal background" in html
    assert "During therapy" in html
    assert '<time datetime="2026-01-02">2 Jan 2026</time>' in html
    assert html.index("Interview 1") < html.index("Interview 2") < html.index("Interview 3")


def test_it_leaves_out_the_therapists_interviews_for_another_dyad(cast, client_as):
    other_client = factories.ParticipantFactory(study=cast.study)
    other_dyad = factories.DyadFactory(
        study=cast.study, therapist=cast.dyad.therapist, client=other_client
    )
    for_other = factories.InterviewFactory(
        participant=cast.dyad.therapist, dyad=other_dyad, sequence_number=2
    )
    background = factories.InterviewFactory(
        participant=cast.dyad.therapist, dyad=None, sequence_number=3
    )

    detail = client_as(cast.owner).get(url(cast.dyad)).context["detail"]

    assert for_other not in detail.therapist_interviews
    assert background in detail.therapist_interviews


def test_it_says_so_when_a_side_has_no_interviews_yet(cast, client_as):
    dyad = factories.DyadFactory(study=cast.study, label="Dyad 2")

    html = client_as(cast.owner).get(url(dyad)).content.decode()

    assert html.count("No interviews yet.") == 2


def test_it_answers_404_for_a_deleted_dyad(cast, client_as):
    Dyad.objects.filter(pk=cast.dyad.pk).update(deleted_at=timezone.now())

    assert client_as(cast.owner).get(url(cast.dyad)).status_code == 404
