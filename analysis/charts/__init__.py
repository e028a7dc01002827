"""Charts: Duet's one chart module. Every chart is a plain SVG string drawn in Python
with the primitives of `svg` (document, text, shapes, colours, font), shown in the
page as it is and saved as SVG or PNG by static/js/charts.js.

- `svg`: the primitives and the palette;
- `agreement`: Krippendorff's alpha bands, the agreement heat map and drift chart;
- `counts`: charts of counts (grouped bars, count heat map, columns over time,
  interview timeline);
- `flow`: the participant flow diagram of the results report (its DOCX holds it as a
  PNG drawn by cairosvg, analysis.themes.report.recruitment_flow).

Imports nothing from Django or from the rest of `analysis`: the sub-domains gather
the data (analysis.agreement.views, analysis.themes.selectors.chart_data) and call
these functions.
"""
