"""The report's procedure paragraph, written from the study's records: interviews per
role (waves, timing, length), the coders, the sessions with their agreement, the meetings."""

import krippendorff
import numpy as np
from django.urls import reverse

from analysis.themes.report.procedure import procedure_text
from interviews.models import Interview, InterviewTiming
from tests import factories
from tests.analysis.agreement_setup import double_coded, unit_matrix
from tests.analysis.theme_setup import theme_study


def test_it_counts_each_roles_interviews_by_wave_timing_and_length(cast):
    setup = theme_study(cast)
    minutes = {"T1": 40, "T2": 50, "T3": 90, "C1": 30, "C2": 70, "D1": 45}
    for key, value in minutes.items():
        Interview.objects.filter(pk=setup.interviews[key].pk).update(
            duration_minutes=value,
            timing=InterviewTiming.DURING if key == "T1" else InterviewTiming.AFTER,
        )
    words = len(factories.SAMPLE_TEXT.split())  # every transcript holds the sample text

    text = procedure_text(study=cast.study)

    assert (
        "2 clients gave 3 interviews (2 in the first wave, 1 in later waves; 3 after therapy), "
        f"lasting a median of 45 minutes (range 30–70) and a median of {words} words "
        "transcribed" in text
    )
    assert (
        "1 therapist gave 3 interviews (1 in the first wave, 2 in later waves; "
        "1 during therapy, 2 after therapy), lasting a median of 50 minutes (range 40–90)"
    ) in text


def test_it_names_the_coders_and_the_meetings_time_span(cast):
    theme_study(cast)
    cast.analyst.first_name, cast.analyst.last_name = "Nora", "Dahl"
    cast.analyst.save()
    for day in ("2026-06-20", "2026-03-05", "2026-04-11"):
        factories.MeetingFactory(study=cast.study, date=day, created_by=cast.owner)

    text = procedure_text(study=cast.study)

    assert "The transcripts were coded by 1 coder (Nora Dahl)." in text
    assert "No coding sessions were held." in text
    assert "discussed in 3 meetings between 5 March 2026 and 20 June 2026." in text


def test_each_closed_round_reports_the_alpha_recorded_at_its_close(cast):
    setup = double_coded(cast)
    # Overall alpha pools every code x unit: codes A and B side by side, without the
    # interviewer's turns, computed by the reference implementation.
    data = np.hstack([unit_matrix(setup.revision, code, interviewer=False) for code in "AB"])
    alpha = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")

    text = procedure_text(study=cast.study)

    assert "They coded in 1 session, 1 of them closed." in text
    assert (
        "Krippendorff's α (character level, recorded at the close) of the 1 closed session "
        f"with two or more coders: α = {alpha:.2f} in “{setup.session.name}”."
    ) in text
    assert "coded by 2 coders" in text


def test_a_study_with_no_records_says_so_rather_than_inventing_figures(cast):
    Interview.objects.filter(study=cast.study).update(deleted_at="2026-01-01T00:00Z")

    text = procedure_text(study=cast.study)

    assert text == (
        "No interviews have been recorded. No passage has been coded yet. "
        "No coding sessions were held. No analytic meetings were recorded."
    )


def test_the_report_page_shows_the_procedure(cast, client):
    theme_study(cast)
    client.force_login(cast.analyst)

    page = client.get(reverse("report", args=[cast.study.slug])).content.decode()

    assert "<h3>Procedure</h3>" in page
    assert "1 therapist gave 3 interviews" in page
