"""The agreement charts' colours, figures and geometry (analysis.charts.agreement).
Pure functions, no database."""

import math
import xml.etree.ElementTree as ElementTree

import pytest

from analysis.charts.agreement import (
    CHARACTER_WIDTH,
    DRIFT_HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    band,
    drift_chart,
    figure,
    heat_map,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (1.0, "high"),
        (0.9, "high"),
        (0.8, "good"),
        (0.7999, "tentative"),
        (0.667, "tentative"),
        (0.5, "low"),
        (0.0, "low"),
        (-0.01, "negative"),
        (math.nan, "none"),
    ],
)
def test_alpha_falls_in_krippendorffs_bands(value, name):
    assert band(value).name == name


def test_figures_are_printed_as_the_literature_prints_them():
    assert [figure(v) for v in (0.8123, -0.0312, 1.0, math.nan, None)] == [
        ".812",
        "-.031",
        "1.000",
        "–",
        "–",
    ]


def test_the_heat_map_has_a_cell_per_code_and_transcript_coloured_by_band():
    chart = heat_map(["A", "B"], ["T1", "T2", "T3"], [[0.95, 0.5, math.nan], [0.7, 0.81, -1]])

    assert len(chart.cells) == 6
    assert [cell.fill for cell in chart.cells[:3]] == [
        band(0.95).colour,
        band(0.5).colour,
        band(math.nan).colour,
    ]
    assert chart.cells[2].title == "A in T3: α = –"


def test_the_drift_chart_draws_alpha_one_at_the_top_and_skips_undefined_points():
    chart = drift_chart(["R1", "R2", "R3"], {"All": [1.0, 0.5, math.nan], "X": [-0.3, 0, 1]}, "All")

    main = next(series for series in chart.series if series.main)
    assert chart.series[-1] is main  # drawn last, on top
    assert main.points[0].y == MARGIN_TOP
    assert len(main.points) == 2
    assert chart.ticks[0].text == "-0.4"  # the axis starts at a multiple of .2 below the lowest
    lowest = next(series for series in chart.series if series.name == "X").points[0]
    assert MARGIN_TOP < lowest.y < DRIFT_HEIGHT - MARGIN_BOTTOM


def test_both_charts_are_well_formed_svg_with_their_ids_and_labels_escaped():
    hostile = "<script>alert(1)</script> & co"
    drawn = {
        "heatmap-chart": heat_map([hostile], ["T1"], [[0.5]]).svg,
        "drift-chart": drift_chart(["R1", "R2"], {hostile: [0.4, 0.9]}, hostile).svg,
    }

    for chart_id, svg in drawn.items():
        root = ElementTree.fromstring(svg)
        assert root.tag == f"{SVG}svg" and root.get("id") == chart_id
        assert root.find(f"{SVG}title").get("id") == f"{chart_id}-title"
        assert "<script>" not in svg


@pytest.mark.parametrize("name", ["A", "Rupture and repair in the working alliance, late"])
def test_a_code_name_fits_left_of_the_heat_map_however_long(name):
    chart = heat_map([name], ["T1"], [[0.9]])

    shown = next(text for text in ElementTree.fromstring(chart.svg).iter(f"{SVG}text"))
    estimated_width = CHARACTER_WIDTH * len(shown.text)
    assert float(shown.get("x")) - estimated_width >= 0
    assert chart.cells[0].x > float(shown.get("x"))
