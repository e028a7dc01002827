"""What the tests of meetings, provenance and the audit share: a signed-in page client,
and a small story of a code redefined in a meeting after two analysts coded a passage."""

import datetime as dt
from dataclasses import dataclass

from analysis.coding.models import Code, Coding, CodingSession, SessionMode
from analysis.coding.services.codebook import code_create, code_update
from analysis.coding.services.codings import coding_create
from analysis.coding.services.sessions import coding_session_close, coding_session_create
from analysis.deliberation.models import MeetingRecord
from analysis.deliberation.services.meetings import meeting_create
from dyads.models import Role
from tests import factories


def signed_in(client, user):
    client.force_login(user)
    return client


@dataclass
class Story:
    code: Code
    session: CodingSession
    coding: Coding
    second: Coding
    first_meeting: MeetingRecord
    meeting: MeetingRecord


def redefined_code_story(cast) -> Story:
    """Two analysts code the same passage "Safety" in a blind session; the session is
    closed; a later meeting redefines "Safety"."""
    second_analyst = factories.UserFactory(username="analyst2")
    factories.MembershipFactory(study=cast.study, user=second_analyst, role=Role.ANALYST)
    first_meeting = meeting_create(
        actor=cast.owner,
        study=cast.study,
        date=dt.date(2026, 3, 2),
        title="Codebook workshop",
        attendees=[cast.owner, cast.analyst],
    )
    code = code_create(
        actor=cast.owner,
        study=cast.study,
        name="Safety",
        definition="Feeling safe.",
        meeting=first_meeting,
    )
    session = coding_session_create(
        actor=cast.owner,
        study=cast.study,
        name="Round 1",
        mode=SessionMode.BLIND,
        coders=[cast.analyst, second_analyst],
        transcripts=[cast.revision.transcript],
    )
    coding = coding_create(
        actor=cast.analyst, revision=cast.revision, start=66, end=131, code=code, session=session
    )
    second = coding_create(
        actor=second_analyst, revision=cast.revision, start=66, end=131, code=code, session=session
    )
    coding_session_close(actor=cast.owner, session=session)
    meeting = meeting_create(
        actor=cast.owner,
        study=cast.study,
        date=dt.date(2026, 4, 14),
        title="Second analytic meeting",
        attendees=[cast.owner, cast.analyst, second_analyst],
        notes="<p>Safety is about the therapist, not the room.</p>",
    )
    code_update(
        actor=cast.owner,
        code=code,
        definition="Safe enough to speak about the therapist.",
        meeting=meeting,
    )
    return Story(code, session, coding, second, first_meeting, meeting)
