"""The agreement charts: Krippendorff's alpha per code and transcript (heat map) and
per coding session (drift), with the colour bands the agreement pages use.

The heat map has a row per code and a column per transcript, each cell
coloured by Krippendorff's alpha in the bands Krippendorff (2004) uses to
read it: .800 and above reliable, .667 to .800 for tentative conclusions,
below .667 not to be relied on. The drift chart has a point per coding
session. `heat_map` and `drift_chart` compute the geometry; the `svg` of each
draws it with the primitives of analysis.charts.svg.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from analysis.charts.svg import ACCENT, document, element, text, title, truncated

GRID = "#e6e8e3"
REFERENCE = "#b35c00"  # the .667 and .800 lines
FAINT = "#b5b9ae"  # the series of single codes


@dataclass(frozen=True)
class Band:
    floor: float
    colour: str
    label: str
    name: str  # CSS class suffix


BANDS = (
    Band(0.9, "#1a7f37", "α ≥ .900", "high"),
    Band(0.8, "#6cc07a", ".800 ≤ α < .900", "good"),
    Band(0.667, "#e3b341", ".667 ≤ α < .800", "tentative"),
    Band(0.0, "#e5735b", "0 ≤ α < .667", "low"),
    Band(-math.inf, "#a40e26", "α < 0", "negative"),
)
UNDEFINED = Band(math.nan, "#d0d7de", "not computable", "none")


def band(value: float) -> Band:
    if value is None or math.isnan(value):
        return UNDEFINED
    return next(b for b in BANDS if value >= b.floor)


def figure(value: float | None) -> str:
    """A coefficient as the literature prints it (.812, -.031), or an en dash."""
    if value is None or math.isnan(value):
        return "–"
    text = f"{value:.3f}"
    return text.replace("0.", ".", 1) if abs(value) < 1 else text


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Cell:
    x: float
    y: float
    fill: str
    title: str


@dataclass(frozen=True)
class HeatMap:
    width: float
    height: float
    cell: float
    rows: list[Label]
    columns: list[Label]
    cells: list[Cell]
    legend: list[tuple[float, Band]]
    legend_y: float

    @property
    def svg(self) -> str:
        body = [
            text(label.x, label.y, truncated(label.text, ROW_LABEL_LENGTH), text_anchor="end")
            for label in self.rows
        ]
        body += [
            text(
                label.x,
                label.y,
                label.text,
                transform=f"rotate(-45 {label.x:.1f} {label.y:.1f})",
            )
            for label in self.columns
        ]
        body += [
            element(
                "rect",
                title(cell.title),
                x=cell.x,
                y=cell.y,
                width=self.cell,
                height=self.cell,
                rx=2,
                fill=cell.fill,
            )
            for cell in self.cells
        ]
        for x, legend_band in self.legend:
            body.append(
                element(
                    "rect", x=x, y=self.legend_y, width=14, height=14, rx=2, fill=legend_band.colour
                )
            )
            body.append(text(x + 18, self.legend_y + 11, legend_band.label, font_size=11))
        return document(
            self.width,
            self.height,
            "Krippendorff's alpha per code (rows) and transcript (columns)",
            body,
            chart_id="heatmap-chart",
        )


CELL = 22
LEGEND_STEP = 130
ROW_LABEL_LENGTH = 30  # characters; longer code names end in an ellipsis
CHARACTER_WIDTH = 7  # pixels, about, at the charts' font size


def row_labels_width(rows: list[str]) -> float:
    """Room at the left for the longest (truncated) code name, so none is clipped."""
    longest = max((len(truncated(name, ROW_LABEL_LENGTH)) for name in rows), default=0)
    return 16 + CHARACTER_WIDTH * max(longest, 8)


COLUMN_LABELS = 110


def heat_map(rows: list[str], columns: list[str], values: list[list[float]]) -> HeatMap:
    """`values[row][column]`: alpha per code (row) and transcript (column)."""
    left, top = row_labels_width(rows), COLUMN_LABELS
    cells = [
        Cell(
            left + c * CELL,
            top + r * CELL,
            band(value).colour,
            f"{rows[r]} in {columns[c]}: α = {figure(value)}",
        )
        for r, row in enumerate(values)
        for c, value in enumerate(row)
    ]
    legend_y = top + len(rows) * CELL + 24
    return HeatMap(
        width=max(left + len(columns) * CELL + 20, LEGEND_STEP * (len(BANDS) + 1) + 20),
        height=legend_y + 30,
        cell=CELL - 2,
        rows=[Label(left - 8, top + r * CELL + CELL * 0.7, name) for r, name in enumerate(rows)],
        columns=[
            Label(left + c * CELL + CELL * 0.6, top - 8, name) for c, name in enumerate(columns)
        ],
        cells=cells,
        legend=[(8 + n * LEGEND_STEP, b) for n, b in enumerate([*BANDS, UNDEFINED])],
        legend_y=legend_y,
    )


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class DriftLine:
    name: str
    path: str
    points: list[Point]
    main: bool


@dataclass(frozen=True)
class DriftChart:
    width: float
    height: float
    left: float
    right: float
    series: list[DriftLine]
    ticks: list[Label]  # y axis
    columns: list[Label]  # x axis: the sessions
    references: list[tuple[float, str]]  # y of the .667 and .800 lines

    @property
    def svg(self) -> str:
        body = []
        for tick in self.ticks:
            body.append(
                element("line", x1=self.left, x2=self.right, y1=tick.y, y2=tick.y, stroke=GRID)
            )
            body.append(text(tick.x, tick.y, tick.text, dy=4, text_anchor="end"))
        for y, label in self.references:
            body.append(
                element(
                    "line",
                    x1=self.left,
                    x2=self.right,
                    y1=y,
                    y2=y,
                    stroke=REFERENCE,
                    stroke_dasharray="4 4",
                )
            )
            body.append(
                text(self.right, y, label, dy=-3, text_anchor="end", fill=REFERENCE, font_size=11)
            )
        body += [
            text(label.x, label.y, truncated(label.text, 28), text_anchor="middle")
            for label in self.columns
        ]
        for series in self.series:
            colour = ACCENT if series.main else FAINT
            parts = [title(series.name)]
            if series.path:
                parts.append(
                    element(
                        "path",
                        d=series.path,
                        fill="none",
                        stroke=colour,
                        stroke_width=3 if series.main else 1,
                    )
                )
            parts += [
                element(
                    "circle",
                    title(point.title),
                    cx=point.x,
                    cy=point.y,
                    r=5 if series.main else 3,
                    fill=colour,
                )
                for point in series.points
            ]
            kind = "series series-main" if series.main else "series"
            body.append(element("g", "".join(parts), **{"class": kind}))
        return document(
            self.width,
            self.height,
            "Krippendorff's alpha per coding session: all codes (bold) and each code",
            body,
            chart_id="drift-chart",
        )


DRIFT_WIDTH, DRIFT_HEIGHT = 720, 300
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 24, 16, 56


def drift_chart(sessions: list[str], series: dict[str, list[float]], main: str) -> DriftChart:
    """A line per series (`main` drawn strong) over the sessions, alpha on the y axis."""
    finite = [v for values in series.values() for v in values if not math.isnan(v)]
    low = min([0.0, *finite])
    low = math.floor(low * 5) / 5  # a multiple of .2
    plot_height = DRIFT_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    plot_width = DRIFT_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    step = plot_width / max(len(sessions) - 1, 1)

    def x(index: int) -> float:
        return MARGIN_LEFT + (index * step if len(sessions) > 1 else plot_width / 2)

    def y(value: float) -> float:
        return MARGIN_TOP + (1 - (value - low) / (1 - low)) * plot_height

    drawn = []
    for name, values in series.items():
        points = [
            Point(round(x(i), 1), round(y(v), 1), f"{name}, {sessions[i]}: α = {figure(v)}")
            for i, v in enumerate(values)
            if not math.isnan(v)
        ]
        path = " ".join(f"{'M' if n == 0 else 'L'}{p.x},{p.y}" for n, p in enumerate(points))
        drawn.append(DriftLine(name, path, points, name == main))
    drawn.sort(key=lambda s: s.main)  # the main series last, on top
    tick_values = [round(low + n * 0.2, 1) for n in range(round((1 - low) / 0.2) + 1)]
    return DriftChart(
        width=DRIFT_WIDTH,
        height=DRIFT_HEIGHT,
        left=MARGIN_LEFT,
        right=DRIFT_WIDTH - MARGIN_RIGHT,
        series=drawn,
        ticks=[Label(MARGIN_LEFT - 8, round(y(v), 1), f"{v:.1f}") for v in tick_values],
        columns=[
            Label(round(x(i), 1), DRIFT_HEIGHT - MARGIN_BOTTOM + 18, s)
            for i, s in enumerate(sessions)
        ],
        references=[(round(y(0.8), 1), ".800"), (round(y(0.667), 1), ".667")],
    )
