"""Helpers for the page tests: a client signed in as one of the cast, and a
study grown to several dyads with the interviews, guides, transcripts and
recruitment a real study has."""

import datetime as dt

import pytest
from django.test import Client

from dyads.models import ParticipantRole, RecruitmentEvent, RecruitmentStep, Study
from interviews.models import GuideQuestion, InterviewFocus, InterviewGuide, InterviewTiming
from tests import factories

STUDY_PAGE_NAMES = ["study-overview", "dyad-detail", "interview-detail"]
MEMBER_ROLES = ["owner", "analyst", "auditor", "interviewer"]


@pytest.fixture
def client_as(client: Client):
    """`client_as(user)`: the test client, signed in as `user` (or anonymous for None)."""

    def sign_in(user) -> Client:
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


def grow_study(study: Study, *, dyads: int, interviewer=None) -> None:
    """Add `dyads` dyads to the study, each therapist with four interviews and
    each client with two, every interview with a guide, an interviewer and a
    transcript, plus sites, participant attributes and a recruitment log."""
    start = study.dyads.count()
    guide = InterviewGuide.objects.create(study=study, title=f"Guide {start + 1}")
    GuideQuestion.objects.create(guide=guide, position=1, text="How did the therapy begin?")
    for number in range(start + 1, start + dyads + 1):
        site = factories.SiteFactory(study=study, name=f"Clinic {number}", city="Oslo")
        therapist = factories.TherapistFactory(
            study=study, site=site, attributes={"years of practice": number + 5}
        )
        client = factories.ParticipantFactory(
            study=study, site=site, attributes={"sessions attended": 12}
        )
        dyad = factories.DyadFactory(
            study=study,
            label=f"Dyad {number:02d}",
            therapist=therapist,
            client=client,
            site=site,
            therapy_sessions=20,
        )
        GuideQuestion.objects.create(
            guide=guide,
            position=number + 1,
            text=f"Tailored to {client.pseudonym}",
            participant=client,
        )
        for participant, count in [(therapist, 4), (client, 2)]:
            for sequence in range(1, count + 1):
                interview = factories.InterviewFactory(
                    participant=participant,
                    dyad=dyad,
                    sequence_number=sequence,
                    focus=InterviewFocus.BACKGROUND if sequence == 1 else InterviewFocus.THERAPY,
                    timing=InterviewTiming.DURING if sequence < count else InterviewTiming.AFTER,
                    interviewer=interviewer,
                    guide=guide,
                )
                factories.revision_for(interview)
            for step in [RecruitmentStep.INVITED, RecruitmentStep.RECRUITED]:
                RecruitmentEvent.objects.create(
                    study=study,
                    site=site,
                    participant=participant,
                    role=participant.role,
                    step=step,
                    occurred_on=dt.date(2026, 1, number % 28 + 1),
                )
    RecruitmentEvent.objects.create(
        study=study,
        role=ParticipantRole.CLIENT,
        step=RecruitmentStep.DROPPED_OUT,
        occurred_on=dt.date(2026, 2, 1),
        reason="Moved away.",
    )


@pytest.fixture
def grow():
    return grow_study
