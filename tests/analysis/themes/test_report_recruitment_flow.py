"""The recruitment flow diagram: one column per role, from the recruitment log and the
interviews, drawn as an SVG in the HTML report and as a picture in the DOCX."""

import datetime as dt
import io
import re

from docx import Document

from analysis.charts.flow import FlowStep
from analysis.themes.report.recruitment_flow import recruitment_columns, recruitment_png
from analysis.themes.report.results_report import (
    results_docx,
    results_html,
    results_markdown,
    results_report,
)
from dyads.models import ParticipantRole, RecruitmentEvent, RecruitmentStep
from interviews.models import Interview


def log(study, step: RecruitmentStep, role: ParticipantRole, n: int) -> None:
    RecruitmentEvent.objects.bulk_create(
        RecruitmentEvent(
            study=study, step=step, role=role, occurred_on=dt.date(2026, 2, 1), reason="Moved."
        )
        for _ in range(n)
    )


def recruited(cast):
    therapist, client = ParticipantRole.THERAPIST, ParticipantRole.CLIENT
    for step, role, n in [
        (RecruitmentStep.THERAPIST_NOMINATED, therapist, 4),
        (RecruitmentStep.DECLINED, therapist, 1),
        (RecruitmentStep.RECRUITED, therapist, 3),
        (RecruitmentStep.INVITED, client, 6),
        (RecruitmentStep.DECLINED, client, 2),
        (RecruitmentStep.RECRUITED, client, 4),
        (RecruitmentStep.DROPPED_OUT, client, 1),
        (RecruitmentStep.COMPLETED, client, 3),
    ]:
        log(cast.study, step, role, n)


def test_each_role_flows_from_approach_to_interview_with_those_who_left_beside(cast):
    recruited(cast)

    therapists, clients = recruitment_columns(study=cast.study)

    # the cast has one therapist and one client interviewed
    assert therapists.heading == "Therapists"
    assert therapists.steps == [
        FlowStep("Therapist nominated", 4, "Declined", 1),
        FlowStep("Recruited", 3),
        FlowStep("Interviewed", 1),
    ]
    assert clients.steps == [
        FlowStep("Invited", 6, "Declined", 2),
        FlowStep("Recruited", 4, "Dropped out", 1),
        FlowStep("Interviewed", 1),
        FlowStep("Completed", 3),
    ]


def test_the_html_report_draws_the_diagram_with_every_count(cast):
    recruited(cast)

    html = results_html(results_report(study=cast.study))

    svg = re.search(r'<svg[^>]*id="recruitment-flow".*?</svg>', html, re.S).group()
    assert "Figure 1. Recruitment flow of therapists and clients" in svg
    for label, n in [("Therapist nominated", 4), ("Invited", 6), ("Declined", 2)]:
        assert label in svg and f"n = {n}" in svg


def test_the_docx_embeds_the_diagram_as_a_picture_with_its_caption(cast):
    recruited(cast)
    report = results_report(study=cast.study)

    document = Document(io.BytesIO(results_docx(report)))

    pictures = document.inline_shapes
    assert len(pictures) == 1
    blip = pictures[0]._inline.graphic.graphicData.pic.blipFill.blip
    image = document.part.related_parts[blip.embed].blob
    assert image == recruitment_png(report.recruitment_flow)
    assert image.startswith(b"\x89PNG")
    captions = [p.text for p in document.paragraphs]
    assert "Figure 1. Recruitment flow of therapists and clients" in captions
    assert "- Clients: Invited 6 (declined 2) → Recruited 4 (dropped out 1)" in results_markdown(
        report
    )


def test_a_study_without_recruitment_or_interviews_has_no_diagram(cast):
    Interview.objects.filter(study=cast.study).update(deleted_at=dt.datetime.now(dt.UTC))

    report = results_report(study=cast.study)

    assert report.recruitment_flow == []
    assert report.recruitment_svg == ""
    assert len(Document(io.BytesIO(results_docx(report))).inline_shapes) == 0
