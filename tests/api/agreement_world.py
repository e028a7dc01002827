"""Objects of agreement, adjudication and calibration, made in the role matrix's world
when a row's URL or body is built (inside each role's rolled-back savepoint).

A closed blind round in which the owner and the analyst coded the world's code
on the cast's transcript differently gives one disagreement, 68-110."""

from analysis.agreement.models import (
    AgendaDisagreement,
    CalibrationAttempt,
    CalibrationReference,
    Resolution,
    ResolutionKind,
)
from analysis.coding.models import CodingSession, SessionMode, SessionState
from dyads.models import Role
from tests import factories
from tests.api.world import World

ROUND = "Round A (closed)"


def closed_round(w: World) -> CodingSession:
    found = CodingSession.objects.filter(study=w.study, name=ROUND).first()
    if found is not None:
        return found
    session = factories.CodingSessionFactory(
        study=w.study,
        name=ROUND,
        mode=SessionMode.BLIND,
        state=SessionState.CLOSED,
        created_by=w.cast.owner,
    )
    session.coders.set([w.cast.owner, w.cast.analyst])
    session.transcripts.set([w.transcript])
    for coder, start, end in [(w.cast.owner, 68, 100), (w.cast.analyst, 75, 110)]:
        factories.CodingFactory(
            revision=w.cast.revision,
            code=w.code,
            coder=coder,
            session=session,
            start=start,
            end=end,
        )
    return session


def disagreement(w: World) -> dict:
    return {
        "session": closed_round(w).pk,
        "revision": w.cast.revision.pk,
        "code": w.code.pk,
        "start": 68,
        "end": 110,
    }


def resolution(w: World) -> Resolution:
    """The disagreement settled (a plain row: building a URL writes no audit event)."""
    return Resolution.objects.create(
        study=w.study,
        session=closed_round(w),
        revision=w.cast.revision,
        code=w.code,
        start=68,
        end=110,
        kind=ResolutionKind.BOTH,
        spans=[[68, 110]],
        versions={"analyst": [[75, 110]], "owner": [[68, 100]]},
        reason="Both readings hold.",
        resolved_by=w.cast.owner,
    )


def agenda_item(w: World) -> AgendaDisagreement:
    return AgendaDisagreement.objects.create(
        meeting=w.meeting,
        session=closed_round(w),
        revision=w.cast.revision,
        code=w.code,
        start=68,
        end=110,
        added_by=w.cast.owner,
    )


def reference(w: World) -> CalibrationReference:
    """The analyst's codings in the closed round, frozen as a reference."""
    return CalibrationReference.objects.create(
        study=w.study,
        name="Reference A",
        revision=w.cast.revision,
        session=closed_round(w),
        coder=w.cast.analyst,
        spans=[[w.code.pk, 75, 110]],
        created_by=w.cast.owner,
    )


def trainee(w: World):
    user = factories.UserFactory(username="trainee")
    if not w.study.memberships.filter(user=user).exists():
        factories.MembershipFactory(study=w.study, user=user, role=Role.ANALYST)
    return user


def attempt(w: World) -> CalibrationAttempt:
    """The trainee's attempt, which the analyst (neither trainee nor supervisor) cannot see."""
    learner = trainee(w)
    session = factories.CodingSessionFactory(
        study=w.study, name="Calibration A", mode=SessionMode.BLIND, created_by=w.cast.owner
    )
    session.coders.set([learner])
    session.transcripts.set([w.transcript])
    return CalibrationAttempt.objects.create(
        study=w.study,
        reference=reference(w),
        trainee=learner,
        session=session,
        created_by=w.cast.owner,
    )
