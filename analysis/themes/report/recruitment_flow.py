"""The recruitment flow of each role, as the report's flow diagram draws it.

Each role's column follows the recruitment log's steps in order (site asked, nominated,
invited, recruited; each only if recorded for that role), then how many of the role were
interviewed (participants with an interview), then those who completed. Those who
declined are drawn beside the last step before recruitment, those who dropped out beside
recruitment (they left after consenting).
"""

import io

from django.db.models import Count

from analysis.charts.flow import FlowColumn, FlowStep, flow_diagram
from analysis.charts.svg import CLIENT, THERAPIST
from dyads.models import ParticipantRole, RecruitmentStep, Study
from dyads.selectors import recruitment_counts
from interviews.models import Interview

APPROACH = (
    RecruitmentStep.SITE_ASKED,
    RecruitmentStep.THERAPIST_NOMINATED,
    RecruitmentStep.INVITED,
)
FLOW_TITLE = "Figure 1. Recruitment flow of therapists and clients"
ROLES = (
    (ParticipantRole.THERAPIST, "therapists", THERAPIST),
    (ParticipantRole.CLIENT, "clients", CLIENT),
)


def _with_exit(step: FlowStep, label: str, count: int) -> FlowStep:
    return FlowStep(step.label, step.count, label, count) if count else step


def _column(role: ParticipantRole, counts: dict, interviewed: int, colour: str) -> FlowColumn:
    steps = [FlowStep(step.label, counts[step]) for step in APPROACH if counts.get(step)]
    declined = counts.get(RecruitmentStep.DECLINED, 0)
    dropped = counts.get(RecruitmentStep.DROPPED_OUT, 0)
    recruited = FlowStep(RecruitmentStep.RECRUITED.label, counts.get(RecruitmentStep.RECRUITED, 0))
    interview = FlowStep("Interviewed", interviewed)
    if steps:
        steps[-1] = _with_exit(steps[-1], "Declined", declined)
        recruited = _with_exit(recruited, "Dropped out", dropped)
    else:  # nobody was logged as approached: those who declined leave at recruitment
        recruited = _with_exit(recruited, "Declined", declined)
        interview = _with_exit(interview, "Dropped out", dropped)
    steps += [recruited, interview]
    if counts.get(RecruitmentStep.COMPLETED):
        steps.append(FlowStep(RecruitmentStep.COMPLETED.label, counts[RecruitmentStep.COMPLETED]))
    return FlowColumn(f"{role.label}s", colour, steps)


def recruitment_columns(*, study: Study) -> list[FlowColumn]:
    """The therapists' and the clients' flow (2 queries); empty if nothing was recorded."""
    rows = recruitment_counts(study=study)
    interviewed = dict(
        Interview.objects.filter(study=study, deleted_at__isnull=True)
        .values("participant__role")
        .annotate(n=Count("participant", distinct=True))
        .values_list("participant__role", "n")
        .order_by()
    )
    if not rows and not interviewed:
        return []
    columns = []
    for role, field, colour in ROLES:
        counts = {row.step: getattr(row, field) for row in rows}
        columns.append(_column(role, counts, interviewed.get(role.value, 0), colour))
    return columns


def recruitment_svg(columns: list[FlowColumn]) -> str:
    return flow_diagram(FLOW_TITLE, columns, chart_id="recruitment-flow")


def recruitment_png(columns: list[FlowColumn]) -> bytes:
    """The diagram as a PNG at twice its size, for the DOCX (Word shows no SVG of its own)."""
    out = io.BytesIO()
    import cairosvg  # and the system's Cairo: loaded when a DOCX is written

    cairosvg.svg2png(bytestring=recruitment_svg(columns).encode(), write_to=out, scale=2)
    return out.getvalue()
