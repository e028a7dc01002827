"""The study's charts: the data from aggregate queries, drawn by analysis.charts.counts."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncWeek

from analysis.charts import counts as charts
from analysis.coding.models import Code
from analysis.themes.selectors.matrix import MatrixCell, MatrixFilters, dyad_matrix
from analysis.themes.selectors.source import (
    CodingSource,
    SideState,
    coded_counts,
    interviews_info,
    theme_codings,
)
from dyads.models import ParticipantRole, Study
from dyads.selectors import study_dyads
from interviews.models import Interview


@dataclass(frozen=True)
class Chart:
    slug: str  # the name of the downloaded file
    title: str
    description: str
    svg: str


def code_frequency_chart(*, user, study: Study, source: CodingSource) -> Chart:
    interviews = interviews_info(study=study)
    counts: dict[int, Counter] = defaultdict(Counter)
    for (interview_id, code_id), n in coded_counts(user=user, study=study, source=source).items():
        if interview_id in interviews:
            counts[code_id][interviews[interview_id].role] += n
    rows = [
        (
            code.name,
            [counts[code.pk][ParticipantRole.CLIENT], counts[code.pk][ParticipantRole.THERAPIST]],
        )
        for code in Code.objects.filter(pk__in=counts).order_by("name")
    ]
    title = "Code frequency by perspective"
    return Chart(
        slug="code-frequency",
        title=title,
        description=f"{_counted(source)} of each code in the clients' and in the therapists' interviews.",
        svg=charts.grouped_bars(title, rows),
    )


def heat_map_chart(*, user, study: Study, source: CodingSource) -> Chart:
    matrix = dyad_matrix(user=user, study=study, filters=MatrixFilters(source=source))
    cells = [[_heat_cell(cell) for cell in row.cells] for row in matrix.rows]
    title = "Excerpts per dyad per constituent"
    return Chart(
        slug="dyad-constituent-heat-map",
        title=title,
        description=f"{_counted(source)} of each constituent's codes in each dyad, both "
        "partners together; “not coded” where a partner without passages has transcripts "
        "not coded in this layer (C: the client, T: the therapist), “—” where neither "
        "partner has a transcript.",
        svg=charts.heat_map(
            title,
            [row.dyad.label for row in matrix.rows],
            [node.theme.name for node in matrix.constituents],
            [[value for value, _ in row] for row in cells],
            [[note for _, note in row] for row in cells],
        ),
    )


def _heat_cell(cell: MatrixCell) -> tuple[int | None, str]:
    """A cell's count (None where there is none to show) and what to write beside it."""
    states = {"C": cell.client_state, "T": cell.therapist_state}
    uncoded = [side for side, state in states.items() if state == SideState.NOT_CODED]
    if not cell.total and uncoded:
        return None, "not coded"
    if set(states.values()) == {SideState.NOT_INTERVIEWED}:
        return None, "—"
    return cell.total, "".join(f"{side} not coded" for side in uncoded)


def _counted(source: CodingSource) -> str:
    return "Consensus passages" if source == CodingSource.CONSENSUS else "Codings by every coder"


def codings_over_time_chart(*, user, study: Study) -> Chart:
    weeks = dict(
        theme_codings(user=user, study=study)
        .annotate(week=TruncWeek("created_at"))
        .values_list("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
        .order_by("week")
    )
    points = []
    if weeks:
        day, last = min(weeks), max(weeks)
        while day <= last:
            points.append((day.date() if isinstance(day, dt.datetime) else day, weeks.get(day, 0)))
            day += dt.timedelta(weeks=1)
    title = "Codings over time"
    return Chart(
        slug="codings-over-time",
        title=title,
        description="Codings made each week, by every coder (whatever the source above).",
        svg=charts.columns_over_time(title, points, unit="Week"),
    )


def interview_timeline_chart(*, study: Study) -> Chart:
    dated = {}
    for interview in Interview.objects.filter(
        study=study,
        deleted_at__isnull=True,
        participant__deleted_at__isnull=True,
        date__isnull=False,
    ).order_by("date"):
        dated.setdefault(interview.participant_id, []).append(
            (
                interview.date,
                str(interview.sequence_number),
                f"interview {interview.sequence_number}",
            )
        )
    rows = []
    for dyad in study_dyads(study=study):
        for participant, colour in (
            (dyad.client, charts.CLIENT),
            (dyad.therapist, charts.THERAPIST),
        ):
            rows.append(
                charts.TimelineRow(
                    label=f"{participant.pseudonym} ({dyad.label})",
                    colour=colour,
                    points=dated.get(participant.pk, []),
                )
            )
    title = "Interviews per participant"
    return Chart(
        slug="interview-timeline",
        title=title,
        description="When each participant was interviewed; the number is the interview's.",
        svg=charts.timeline(title, rows),
    )


def study_charts(*, user, study: Study, source: CodingSource) -> list[Chart]:
    """Every chart of the charts page."""
    return [
        code_frequency_chart(user=user, study=study, source=source),
        heat_map_chart(user=user, study=study, source=source),
        codings_over_time_chart(user=user, study=study),
        interview_timeline_chart(study=study),
    ]
