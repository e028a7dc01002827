"""Waves: how each constituent appears across each participant's interviews, in order.

Therapists and clients have different numbers of interviews. An interview that
was never held is *missing*, one held but not (yet) transcribed is
*untranscribed*, one transcribed but not coded in the layer (see
`source.coded_interviews`) is *uncoded*; only a coded interview without a passage
of the constituent shows the theme as *absent*.
"""

from collections import defaultdict
from dataclasses import dataclass

from analysis.themes.selectors.source import (
    CodingSource,
    DyadSides,
    InterviewInfo,
    coded_interviews,
    interviews_info,
    theme_counts,
)
from analysis.themes.selectors.tree import ThemeNode, theme_tree
from dyads.models import Dyad, Participant, ParticipantRole, Study
from dyads.selectors import study_dyads


@dataclass(frozen=True)
class WaveCell:
    number: int
    interview: InterviewInfo | None
    count: int
    coded: bool

    @property
    def state(self) -> str:
        if self.interview is None:
            return "missing"
        if not self.interview.transcribed:
            return "untranscribed"
        if not self.coded:
            return "uncoded"
        return "present" if self.count else "absent"


@dataclass(frozen=True)
class WaveRow:
    dyad: Dyad
    role: ParticipantRole
    participant: Participant
    cells: list[WaveCell]


@dataclass(frozen=True)
class WaveSummary:
    """For one role: at each interview number, in how many coded interviews it appears."""

    role: ParticipantRole
    cells: list[tuple[int, int]]  # (present, coded) per interview number


@dataclass(frozen=True)
class ThemeWaves:
    theme: ThemeNode
    rows: list[WaveRow]
    summaries: list[WaveSummary]


@dataclass(frozen=True)
class Waves:
    numbers: list[int]
    themes: list[ThemeWaves]
    source: CodingSource


def _summaries(rows: list[WaveRow], numbers: list[int]) -> list[WaveSummary]:
    summaries = []
    for role in (ParticipantRole.CLIENT, ParticipantRole.THERAPIST):
        cells = [cell for row in rows if row.role == role for cell in row.cells]
        counted = [
            (
                sum(cell.state == "present" for cell in cells if cell.number == number),
                sum(cell.state in ("present", "absent") for cell in cells if cell.number == number),
            )
            for number in numbers
        ]
        summaries.append(WaveSummary(role=role, cells=counted))
    return summaries


def study_waves(*, user, study: Study, source: CodingSource = CodingSource.CONSENSUS) -> Waves:
    """Every constituent across every dyad's client and therapist interviews (4 queries with
    all coders' codings; the consensus layer adds its own)."""
    constituents = theme_tree(study=study).constituents()
    dyads = list(study_dyads(study=study))
    interviews = interviews_info(study=study)
    links = {node.theme.pk: node.code_ids for node in constituents}
    counts = theme_counts(user=user, study=study, source=source, links=links)
    coded = coded_interviews(user=user, study=study, source=source)
    numbers = sorted({interview.number for interview in interviews.values()})
    sides = DyadSides(dyads)
    held: dict[tuple[int, str], dict[int, InterviewInfo]] = defaultdict(dict)
    for interview in interviews.values():
        for dyad, role in sides.of(interview):
            held[(dyad.pk, role)][interview.number] = interview

    def row(node: ThemeNode, dyad: Dyad, role: ParticipantRole) -> WaveRow:
        cells = []
        for number in numbers:
            interview = held[(dyad.pk, role)].get(number)
            cells.append(
                WaveCell(
                    number=number,
                    interview=interview,
                    count=counts[(interview.pk, node.theme.pk)] if interview else 0,
                    coded=interview is not None and interview.pk in coded,
                )
            )
        participant = dyad.client if role == ParticipantRole.CLIENT else dyad.therapist
        return WaveRow(dyad=dyad, role=role, participant=participant, cells=cells)

    themes = []
    for node in constituents:
        rows = [
            row(node, dyad, role)
            for dyad in dyads
            for role in (ParticipantRole.CLIENT, ParticipantRole.THERAPIST)
        ]
        themes.append(ThemeWaves(theme=node, rows=rows, summaries=_summaries(rows, numbers)))
    return Waves(numbers=numbers, themes=themes, source=source)
