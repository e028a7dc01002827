"""A small double-coded session for the agreement tests, with spans chosen by hand.

The cast's revision is factories.SAMPLE_TEXT (184 code points), turns:
interviewer [0, 63), client [65, 131), interviewer [133, 148), client [150, 184).

    code A: analyst [5, 30) (in an interviewer turn) and [68, 100); analyst2 [75, 110)
    code B: analyst [153, 180); analyst2 [153, 180) and [80, 95)

So code A has two disagreements (5-30 and 68-110), code B one (80-95) and
one agreed passage (153-180).
"""

from dataclasses import dataclass
from unittest import mock

import numpy as np
import pytest

from analysis.agreement.models import ResolutionKind
from analysis.agreement.selectors import consensus
from analysis.agreement.services.adjudication import disagreement_resolve
from analysis.coding.models import Code, CodingSession, SessionMode, SessionState
from dyads.models import Role
from interviews.models import SpeakerRole, TranscriptRevision
from tests import factories

SPANS = {
    ("A", "analyst"): [(5, 30), (68, 100)],
    ("A", "analyst2"): [(75, 110)],
    ("B", "analyst"): [(153, 180)],
    ("B", "analyst2"): [(153, 180), (80, 95)],
}


@dataclass
class DoubleCoded:
    study: object
    session: CodingSession
    revision: TranscriptRevision
    first: object
    second: object
    a: Code
    b: Code

    @property
    def coders(self) -> list:
        return [self.first, self.second]

    def code(self, name: str) -> Code:
        return {"A": self.a, "B": self.b}[name]


def second_analyst(cast, username: str = "analyst2"):
    user = factories.UserFactory(username=username)
    factories.MembershipFactory(study=cast.study, user=user, role=Role.ANALYST)
    return user


def double_coded(cast, *, state: str = SessionState.CLOSED, mode: str = SessionMode.BLIND):
    """The session above, closed (or as asked), its codings made as the spans say."""
    second = second_analyst(cast)
    session = factories.CodingSessionFactory(
        study=cast.study, mode=mode, state=state, created_by=cast.owner
    )
    session.coders.set([cast.analyst, second])
    session.transcripts.set([cast.revision.transcript])
    setup = DoubleCoded(
        study=cast.study,
        session=session,
        revision=cast.revision,
        first=cast.analyst,
        second=second,
        a=factories.CodeFactory(study=cast.study, name="A"),
        b=factories.CodeFactory(study=cast.study, name="B"),
    )
    users = {"analyst": cast.analyst, "analyst2": second}
    for (code, coder), spans in SPANS.items():
        for start, end in spans:
            factories.CodingFactory(
                revision=cast.revision,
                code=setup.code(code),
                coder=users[coder],
                session=session,
                start=start,
                end=end,
            )
    return setup


def unit_matrix(revision: TranscriptRevision, code: str, *, interviewer: bool) -> np.ndarray:
    """Character-level reliability data of one code, built cell by cell from SPANS:
    2 coders × 184 code points, NaN in interviewer turns unless they are included."""
    data = np.zeros((2, len(revision.text)))
    for row, coder in enumerate(["analyst", "analyst2"]):
        for start, end in SPANS.get((code, coder), []):
            for point in range(start, end):
                data[row, point] = 1
    if not interviewer:
        for turn in revision.turns.filter(role=SpeakerRole.INTERVIEWER):
            data[:, turn.start : turn.end] = np.nan
    return data


def turn_matrix(revision: TranscriptRevision, code: str, *, interviewer: bool) -> np.ndarray:
    """Turn-level reliability data: 1 when a coder's span overlaps the turn."""
    turns = [
        turn
        for turn in revision.turns.order_by("index")
        if interviewer or turn.role != SpeakerRole.INTERVIEWER
    ]
    return np.array(
        [
            [
                float(any(s < turn.end and e > turn.start for s, e in SPANS.get((code, coder), [])))
                for turn in turns
            ]
            for coder in ["analyst", "analyst2"]
        ]
    )


def settle_every_disagreement(setup: DoubleCoded, actor) -> None:
    """Accept every version (their union) of the session's three disagreements."""
    for code, start, end in [(setup.a, 5, 30), (setup.a, 68, 110), (setup.b, 80, 95)]:
        disagreement_resolve(
            actor=actor,
            session=setup.session,
            revision=setup.revision,
            code=code,
            start=start,
            end=end,
            kind=ResolutionKind.BOTH,
            reason="Settled in the meeting.",
        )


@pytest.fixture
def rounds_computed():
    """Counts how often the closed rounds' consensus is computed."""
    compute = consensus._latest_rounds_layer
    with mock.patch.object(consensus, "_latest_rounds_layer", side_effect=compute) as spy:
        yield spy
