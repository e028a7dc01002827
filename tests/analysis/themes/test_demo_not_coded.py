"""The demo study's dyads 4 and 6 (round 2, still open) and dyad 5's therapist are not
coded: the matrix, the dual-perspective view and the report say so, never "absent"."""

import html as html_module

from django.urls import reverse

from analysis.themes.report.results_report import results_markdown, results_report
from analysis.themes.selectors.matrix import dyad_matrix
from analysis.themes.selectors.source import SideState
from dyads.models import Dyad


def test_the_matrix_shows_the_uncoded_dyads_as_not_coded(demo_study, demo_owner, client):
    matrix = dyad_matrix(user=demo_owner, study=demo_study)

    states = {
        row.dyad.label: {(cell.client_state, cell.therapist_state) for cell in row.cells}
        for row in matrix.rows
    }
    assert states["Dyad 4"] == states["Dyad 6"] == {(SideState.NOT_CODED, SideState.NOT_CODED)}
    assert {therapist for _, therapist in states["Dyad 5"]} == {SideState.NOT_CODED}
    client.force_login(demo_owner)
    html = html_module.unescape(client.get(reverse("matrix", args=["demo"])).content.decode())
    assert (
        "Dyad 4, Being met as a person, not a case: client not coded, therapist not coded" in html
    )


def test_the_dual_view_of_an_uncoded_dyad_says_not_coded(demo_study, demo_owner, client):
    dyad = Dyad.objects.get(study=demo_study, label="Dyad 6")
    client.force_login(demo_owner)

    response = client.get(reverse("dual-perspective", args=["demo", dyad.pk]))

    html = html_module.unescape(response.content.decode())
    assert html.count("Not coded</em>: ") == 2
    assert "2 of the client's 2 transcripts are not coded in this layer" in html
    assert "4 of the therapist's 4 transcripts are not coded" in html


def test_the_report_names_the_uncoded_dyads_as_not_coded(demo_study):
    report = results_report(study=demo_study)

    for theme in report.constituents:
        assert theme.client_support.endswith("not coded in 2 (Dyad 4, Dyad 6).")
        assert theme.therapist_support.endswith("not coded in 3 (Dyad 4, Dyad 5, Dyad 6).")
        assert "absent" not in theme.client_support + theme.therapist_support
    assert "not coded in 2 (Dyad 4, Dyad 6)" in results_markdown(report)
