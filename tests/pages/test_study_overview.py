"""The study overview shows the study's dyads, participants, interviews, members,
sites and recruitment to every member, with the member's role."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dyads.models import Dyad, RecruitmentEvent, RecruitmentStep
from tests import factories
from tests.pages.conftest import MEMBER_ROLES

URL = reverse("study-overview", args=["tcx"])


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_it_shows_the_study_to_every_member_role(cast, client_as, role):
    response = client_as(cast.user(role)).get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Therapist and client experiences</h1>" in html
    assert f'<span class="badge badge-{role}" title="Your role in this study">' in html
    assert response.context["role"] == role
    assert "REK 2026/123" in html


def test_it_lists_dyads_with_their_therapist_and_client(cast, client_as):
    html = client_as(cast.analyst).get(URL).content.decode()

    assert reverse("dyad-detail", args=["tcx", cast.dyad.pk]) in html
    assert "Dyad 1" in html
    assert cast.dyad.therapist.pseudonym in html
    assert cast.dyad.client.pseudonym in html


def test_it_shows_participants_with_their_attributes(cast, client_as):
    site = factories.SiteFactory(study=cast.study, name="Nordre Clinic", city="Bergen")
    factories.TherapistFactory(
        study=cast.study,
        pseudonym="Magnus",
        site=site,
        age=52,
        profession="clinical psychologist",
        theoretical_orientation="emotion-focused",
        attributes={"years of practice": 21},
    )

    html = client_as(cast.auditor).get(URL).content.decode()

    for text in [
        "Magnus",
        "Nordre Clinic",
        "52",
        "clinical psychologist",
        "emotion-focused",
        "years of practice",
        "21",
    ]:
        assert text in html


def test_it_lists_the_interviews_with_links_and_transcript_status(cast, client_as):
    html = client_as(cast.interviewer).get(URL).content.decode()

    assert reverse("interview-detail", args=["tcx", cast.therapist_interview.pk]) in html
    assert reverse("interview-detail", args=["tcx", cast.client_interview.pk]) in html
    assert f"{cast.dyad.client.pseudonym}, interview 1" in html
    assert "Transcribed" in html
    assert "Not yet" in html


def test_it_lists_the_members_with_their_roles(cast, client_as):
    response = client_as(cast.owner).get(URL)

    members = {(m.user.username, m.role) for m in response.context["overview"].summary.members}
    assert members == {
        ("owner", "owner"),
        ("analyst", "analyst"),
        ("auditor", "auditor"),
        ("interviewer", "interviewer"),
    }
    assert "outsider" not in response.content.decode()


def test_it_shows_sites_and_recruitment_counts(cast, client_as):
    site = factories.SiteFactory(study=cast.study, name="Søndre Clinic", city="Trondheim")
    for role in ["therapist", "client", "client"]:
        RecruitmentEvent.objects.create(
            study=cast.study,
            site=site,
            role=role,
            step=RecruitmentStep.RECRUITED,
            occurred_on=dt.date(2026, 1, 5),
        )
    RecruitmentEvent.objects.create(
        study=cast.study,
        role="client",
        step=RecruitmentStep.DROPPED_OUT,
        occurred_on=dt.date(2026, 2, 5),
        reason="Ended therapy early.",
    )

    response = client_as(cast.owner).get(URL)

    html = response.content.decode()
    assert "Søndre Clinic" in html
    assert "Trondheim" in html
    rows = {
        row.step: (row.therapists, row.clients, row.total)
        for row in response.context["overview"].summary.recruitment
    }
    assert rows == {RecruitmentStep.RECRUITED: (1, 2, 3), RecruitmentStep.DROPPED_OUT: (0, 1, 1)}
    assert "Dropped out" in html


def test_it_leaves_out_deleted_dyads(cast, client_as):
    Dyad.objects.filter(pk=cast.dyad.pk).update(deleted_at=timezone.now())

    html = client_as(cast.owner).get(URL).content.decode()

    assert reverse("dyad-detail", args=["tcx", cast.dyad.pk]) not in html
    assert "No dyads yet." in html
