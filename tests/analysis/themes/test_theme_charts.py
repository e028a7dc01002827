"""Charts as SVG in the page, downloadable as SVG or PNG by static/js/charts.js."""

import datetime as dt
import xml.etree.ElementTree as ElementTree

from django.urls import reverse

from analysis.charts import counts as charts
from analysis.themes.selectors.chart_data import study_charts
from analysis.themes.selectors.source import CodingSource
from tests.analysis.theme_setup import theme_study
from tests.pages.test_no_inline_code import INLINE

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def test_every_chart_is_well_formed_svg_with_its_labels_escaped():
    hostile = "<script>alert(1)</script> & co"
    drawn = [
        charts.grouped_bars("Codes", [(hostile, [3, 1]), ("Safe", [0, 0])]),
        charts.heat_map("Heat", ["Dyad 1"], [hostile], [[4]]),
        charts.heat_map("Empty", [], [], []),
        charts.columns_over_time("Weeks", [(dt.date(2026, 5, 4), 7)], unit="Week"),
        charts.timeline("Interviews", [charts.TimelineRow(hostile, charts.CLIENT, [])]),
    ]

    for svg in drawn:
        root = parse(svg)
        assert root.tag == f"{SVG}svg"
        assert root.find(f"{SVG}title") is not None
        assert "<script>" not in svg


def test_bars_are_as_long_as_their_values():
    root = parse(charts.grouped_bars("Codes", [("A", [10, 5]), ("B", [0, 20])]))

    widths = [
        float(rect.get("width"))
        for rect in root.iter(f"{SVG}rect")
        if rect.find(f"{SVG}title") is not None
    ]
    assert widths[0] == 2 * widths[1]
    assert widths[2] == 0
    assert widths[3] == 4 * widths[1]


def test_the_charts_of_a_study_count_its_codings(cast):
    theme_study(cast)

    drawn = {
        chart.slug: chart
        for chart in study_charts(user=cast.analyst, study=cast.study, source=CodingSource.ALL)
    }

    assert list(drawn) == [
        "code-frequency",
        "dyad-constituent-heat-map",
        "codings-over-time",
        "interview-timeline",
    ]
    titles = [t.text for t in parse(drawn["code-frequency"].svg).iter(f"{SVG}title")]
    assert "A, client: 1" in titles and "A, therapist: 2" in titles
    heat = [t.text for t in parse(drawn["dyad-constituent-heat-map"].svg).iter(f"{SVG}title")]
    assert "Dyad 1 × Persistence: 5" in heat


def test_the_charts_page_shows_each_chart_with_its_downloads_and_no_inline_code(cast, client):
    theme_study(cast)
    client.force_login(cast.analyst)

    html = client.get(reverse("charts", args=["tcx"])).content.decode()

    assert html.count("<svg") == 4
    assert html.count('data-download="png"') == 4
    assert "/static/js/charts.js" in html
    for pattern, what in INLINE:
        assert not pattern.search(html), what
