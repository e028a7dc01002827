"""Charts of counts: grouped bars, a count heat map, columns over time and a timeline of
interviews (the charts page, analysis.themes.selectors.chart_data)."""

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape

from analysis.charts.svg import (
    ACCENT,
    CLIENT,
    GRID,
    MUTED,
    TEXT,
    THERAPIST,
    Series,
    document,
    legend,
    text,
    truncated,
)

HEAT = ((247, 247, 244), (47, 93, 98))  # from the page background to the accent colour
CLIENT_AND_THERAPIST = (Series("Client", CLIENT), Series("Therapist", THERAPIST))


def _nice_max(value: int) -> int:
    """A round axis maximum at or above `value`."""
    if value <= 5:
        return max(value, 1)
    step = 10 ** (len(str(value)) - 1)
    for factor in (1, 2, 5, 10):
        if value <= factor * step:
            return factor * step
    return 10 * step


def grouped_bars(
    title: str, rows: list[tuple[str, list[int]]], series: tuple[Series, ...] = CLIENT_AND_THERAPIST
) -> str:
    """Horizontal bars, one group per row, one bar per series (e.g. client and therapist)."""
    label_width, bar, gap, width = 220, 9, 10, 720
    plot = width - label_width - 50
    height = 40 + len(rows) * (bar * len(series) + gap) + 30
    top = _nice_max(max((max(values, default=0) for _, values in rows), default=0))
    body = legend(series, label_width, 18)
    y = 34
    for label, values in rows:
        body.append(text(label_width - 8, y + bar * len(series) / 2 + 4, label, text_anchor="end"))
        for index, (value, series_item) in enumerate(zip(values, series, strict=True)):
            length = plot * value / top
            body.append(
                f'<rect x="{label_width}" y="{y + index * bar:.1f}" width="{length:.1f}" '
                f'height="{bar - 1}" fill="{series_item.colour}"><title>{escape(label)}, '
                f"{escape(series_item.name.lower())}: {value}</title></rect>"
            )
            body.append(
                text(
                    label_width + length + 4,
                    y + index * bar + bar - 2,
                    str(value),
                    font_size="10",
                    fill=MUTED,
                )
            )
        y += bar * len(series) + gap
    body.append(f'<line x1="{label_width}" y1="30" x2="{label_width}" y2="{y}" stroke="{GRID}"/>')
    body.append(text(label_width, y + 16, "0", fill=MUTED, font_size="10"))
    body.append(
        text(label_width + plot, y + 16, str(top), fill=MUTED, font_size="10", text_anchor="end")
    )
    return document(width, height, title, body)


def _heat(value: int, top: int) -> str:
    share = value / top if top else 0
    low, high = HEAT
    return "#" + "".join(
        f"{round(a + (b - a) * share):02x}" for a, b in zip(low, high, strict=True)
    )


def heat_map(
    title: str,
    row_labels: list[str],
    column_labels: list[str],
    values: list[list[int | None]],
    notes: list[list[str]] | None = None,
) -> str:
    """A grid of cells shaded by value, rows and columns labelled.

    A cell whose value is None has no count to shade: it is drawn white and shows only
    its note. A note (e.g. "not coded") is written in the cell in grey italics, under
    the value if there is one, and added to the cell's title.
    """
    cell, label_width, header = 56, 120, 150
    width = label_width + cell * len(column_labels) + 170  # room for the slanted labels
    height = header + cell * len(row_labels) + 20
    top = max((value or 0 for row in values for value in row), default=0)
    body = []
    for column, label in enumerate(column_labels):
        x = label_width + column * cell + cell / 2
        body.append(
            f'<text x="{x:.1f}" y="{header - 8}" transform="rotate(-40 {x:.1f} {header - 8})">'
            f"{escape(truncated(label, 28))}<title>{escape(label)}</title></text>"
        )
    for row, label in enumerate(row_labels):
        y = header + row * cell
        body.append(text(label_width - 8, y + cell / 2 + 4, label, text_anchor="end"))
        for column, value in enumerate(values[row]):
            note = notes[row][column] if notes else ""
            name = f"{label} × {column_labels[column]}"
            body.extend(_heat_cell(label_width + column * cell, y, cell, value, note, top, name))
    return document(width, height, title, body)


def _heat_cell(
    x: float, y: float, size: int, value: int | None, note: str, top: int, name: str
) -> list[str]:
    what = ", ".join(part for part in ("" if value is None else str(value), note) if part)
    fill = "#ffffff" if value is None else _heat(value, top)
    dark = value is not None and top and value / top > 0.55
    ink = "#ffffff" if dark else TEXT
    parts = [
        f'<rect x="{x}" y="{y}" width="{size - 2}" height="{size - 2}" fill="{fill}" '
        f'stroke="{GRID}"><title>{escape(name)}: {escape(what)}</title></rect>'
    ]
    middle = x + size / 2 - 1
    if value is not None:
        shift = -2 if note else 3
        parts.append(text(middle, y + size / 2 + shift, str(value), text_anchor="middle", fill=ink))
    if note:
        parts.append(
            text(
                middle,
                y + size / 2 + (10 if value is not None else 3),
                note,
                text_anchor="middle",
                fill=ink if dark else MUTED,
                font_size="8",
                font_style="italic",
            )
        )
    return parts


def columns_over_time(title: str, points: list[tuple[dt.date, int]], unit: str) -> str:
    """One column per period (e.g. codings per week), dates along the bottom."""
    width, height, left, bottom, top_margin = 720, 260, 50, 40, 20
    plot_w, plot_h = width - left - 20, height - bottom - top_margin
    top = _nice_max(max((n for _, n in points), default=0))
    body = [
        f'<line x1="{left}" y1="{top_margin + plot_h}" x2="{left + plot_w}" '
        f'y2="{top_margin + plot_h}" stroke="{GRID}"/>',
        text(left - 6, top_margin + 4, str(top), text_anchor="end", fill=MUTED, font_size="10"),
        text(left - 6, top_margin + plot_h, "0", text_anchor="end", fill=MUTED, font_size="10"),
    ]
    step = plot_w / max(len(points), 1)
    every = max(1, len(points) // 8)
    for index, (day, n) in enumerate(points):
        h = plot_h * n / top
        x = left + index * step
        body.append(
            f'<rect x="{x + 1:.1f}" y="{top_margin + plot_h - h:.1f}" width="{max(step - 2, 1):.1f}" '
            f'height="{h:.1f}" fill="{ACCENT}"><title>{unit} from '
            f"{day:%d %b %Y}: {n}</title></rect>"
        )
        if index % every == 0:
            body.append(
                text(
                    x + step / 2,
                    height - bottom + 16,
                    f"{day:%d %b}",
                    text_anchor="middle",
                    fill=MUTED,
                    font_size="10",
                )
            )
    return document(width, height, title, body)


@dataclass(frozen=True)
class TimelineRow:
    label: str
    colour: str
    points: list[tuple[dt.date, str, str]]  # (date, mark on the dot, what it was)


def timeline(title: str, rows: list[TimelineRow]) -> str:
    """One line per row (participant) with a dot at each dated event (interview)."""
    dates = [day for row in rows for day, _, _ in row.points]
    label_width, row_height, width = 120, 26, 720
    height = 50 + row_height * len(rows)
    plot = width - label_width - 40
    if not dates:
        return document(
            width, 60, title, [text(label_width, 30, "No dated interviews yet.", fill=MUTED)]
        )
    first, last = min(dates), max(dates)
    span = max((last - first).days, 1)

    def x_of(day: dt.date) -> float:
        return label_width + 10 + plot * (day - first).days / span

    body = [
        text(label_width + 10, height - 12, f"{first:%d %b %Y}", fill=MUTED, font_size="10"),
        text(
            label_width + 10 + plot,
            height - 12,
            f"{last:%d %b %Y}",
            fill=MUTED,
            font_size="10",
            text_anchor="end",
        ),
    ]
    for index, row in enumerate(rows):
        y = 20 + index * row_height
        body.append(text(label_width - 8, y + 4, row.label, text_anchor="end"))
        body.append(
            f'<line x1="{label_width + 10}" y1="{y}" x2="{label_width + 10 + plot}" y2="{y}" stroke="{GRID}"/>'
        )
        for day, mark, what in row.points:
            body.append(
                f'<circle cx="{x_of(day):.1f}" cy="{y}" r="7" fill="{row.colour}">'
                f"<title>{escape(row.label)}, {escape(what)}: {day:%d %b %Y}</title></circle>"
            )
            body.append(
                text(x_of(day), y + 3.5, mark, text_anchor="middle", fill="#ffffff", font_size="9")
            )
    return document(width, height, title, body)
