"""The pages say in words which side of a dyad is present, absent, not coded or not
interviewed: the matrix, a cell's panel, the dual-perspective view, the heat map, and the
convergence form's refusal of "one-sided" while a side is not coded."""

import html as html_module

import pytest
from django.urls import reverse

from analysis.themes.models import ConvergenceMark
from tests.analysis.theme_setup import side_state_study

NOT_CODED = '<em class="state-not-coded">not coded</em>'


@pytest.fixture
def world(cast):
    return side_state_study(cast)


@pytest.fixture
def reader(cast, client):
    client.force_login(cast.analyst)
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html_module.unescape(response.content.decode())


def test_the_matrix_writes_each_sides_state(world, reader):
    html = page(reader, reverse("matrix", args=["tcx"]))

    assert "Dyad 2, Safety: client not coded, therapist 2" in html
    assert "Dyad 1, Hope: client absent, therapist absent" in html
    assert "Dyad 2, Hope: client not coded, therapist absent" in html
    assert "Dyad 3, Safety: client not interviewed, therapist not interviewed" in html
    assert "C " + NOT_CODED in html
    assert '<span title="not interviewed: no transcript">—</span>' in html
    assert "<em>not interviewed</em> (no transcript)" in html  # the legend


def test_a_cells_panel_says_which_side_is_not_coded_and_which_is_absent(world, reader):
    html = page(reader, reverse("matrix-cell", args=["tcx", world.base.dyad2.pk, world.hope.pk]))

    assert "Not coded</em>: 1 of the client's 1 transcript is not coded in this layer" in html
    assert "Absent: no excerpt, and all 2 of the therapist's transcripts are coded" in html
    assert "the client (" in html and NOT_CODED in html


def test_the_dual_view_says_not_coded_beside_the_other_sides_excerpts(world, reader):
    url = reverse("dual-perspective", args=["tcx", world.base.dyad2.pk])
    html = page(reader, f"{url}?theme={world.base.safety.pk}")

    assert "Not coded</em>: 1 of the client's 1 transcript is not coded" in html
    assert html.count('class="excerpt-text"') == 2  # the therapist's two excerpts
    assert "“One-sided” waits until both sides are coded" in html


def test_the_dual_view_of_a_side_without_a_transcript_says_not_interviewed(world, reader):
    url = reverse("dual-perspective", args=["tcx", world.dyad3.pk])

    html = page(reader, f"{url}?theme={world.hope.pk}")

    assert html.count("— Not interviewed") == 2
    assert "Absent:" not in html and "Not coded" not in html


def test_the_heat_map_writes_not_coded_and_a_dash_for_no_transcript(world, reader):
    html = page(reader, reverse("charts", args=["tcx"]))

    assert "<title>Dyad 2 × Hope: not coded</title>" in html
    assert "<title>Dyad 2 × Safety: 2, C not coded</title>" in html
    assert "<title>Dyad 1 × Hope: 0</title>" in html
    assert "<title>Dyad 3 × Hope: —</title>" in html


def test_one_sided_is_refused_on_the_page_while_a_side_is_not_coded(cast, world, reader):
    url = reverse("convergence-mark", args=["tcx", world.base.dyad2.pk, world.base.safety.pk])

    response = reader.post(url, {"verdict": "one_sided"}, follow=True)

    html = html_module.unescape(response.content.decode())
    assert "“One-sided” needs both sides coded" in html
    assert not ConvergenceMark.objects.exists()
