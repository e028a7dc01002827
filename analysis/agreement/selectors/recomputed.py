"""A closed session's figures as they would be now, beside those recorded at its close.

The recorded figures never change (see ``recorded``); when merges, splits or corrected
transcripts have moved the session's codings since, the agreement page shows what the
figures would be on the codings as they are now, and why they differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis.agreement.selectors.disagreements import PassageState, session_passages
from analysis.agreement.selectors.recorded import changes_since_close, session_codings
from analysis.agreement.selectors.reports import AgreementReport, agreement_report
from analysis.coding.models import SessionState

if TYPE_CHECKING:  # numpy: loaded when a page computes agreement
    from analysis.agreement.tallies import Coefficients


@dataclass(frozen=True)
class Figures:
    overall: Coefficients
    disagreements: int
    resolved: int


@dataclass(frozen=True)
class Recomputed:
    changes: list[str]
    recorded: Figures
    now: Figures

    @property
    def note(self) -> str:
        return f"Recomputed figures after {'; '.join(self.changes)}"


def recomputed_figures(*, user, report: AgreementReport) -> Recomputed | None:
    """The figures of the report's closed session recomputed on its codings as they are now,
    or None when nothing changed since the close (or the report is not a closed session's)."""
    session = report.scope.session
    if session is None or session.state != SessionState.CLOSED:
        return None
    changes = changes_since_close(session, session_codings(session))
    if not changes:
        return None
    now = agreement_report(user=user, scope=report.scope, live=True)
    return Recomputed(
        changes=changes,
        recorded=_figures(report, session_passages(session=session)),
        now=_figures(now, session_passages(session=session, live=True)),
    )


def _figures(report: AgreementReport, found) -> Figures:
    return Figures(
        overall=report.overall,
        disagreements=len(found.disagreements),
        resolved=sum(1 for view in found.disagreements if view.state == PassageState.RESOLVED),
    )
