"""A participant flow diagram (as journals print recruitment): one column of boxes per
group, each step's count, arrows down the flow and, beside a step, those who left there."""

from dataclasses import dataclass

from analysis.charts.svg import MUTED, TEXT, document, element, text

BOX_WIDTH, BOX_HEIGHT, EXIT_WIDTH, STEP, GAP = 150, 40, 100, 60, 24
COLUMN = BOX_WIDTH + GAP + EXIT_WIDTH + 30


@dataclass(frozen=True)
class FlowStep:
    label: str
    count: int
    exit_label: str = ""  # those who left at this step, drawn beside it
    exit_count: int = 0


@dataclass(frozen=True)
class FlowColumn:
    heading: str
    colour: str
    steps: list[FlowStep]


def _box(x: float, y: float, width: float, label: str, count: int, colour: str) -> list[str]:
    return [
        element(
            "rect",
            x=x,
            y=y,
            width=width,
            height=BOX_HEIGHT,
            rx=4,
            fill="#ffffff",
            stroke=colour,
            stroke_width=1.5,
        ),
        text(x + width / 2, y + 17, label, text_anchor="middle"),
        text(x + width / 2, y + 33, f"n = {count}", text_anchor="middle", font_weight="bold"),
    ]


def _arrow(x1: float, y1: float, x2: float, y2: float) -> list[str]:
    """A line from (x1, y1) to (x2, y2), its head at the end (vertical or horizontal)."""
    if x1 == x2:
        head = f"{x2 - 4:.1f},{y2 - 7:.1f} {x2 + 4:.1f},{y2 - 7:.1f} {x2:.1f},{y2:.1f}"
    else:
        head = f"{x2 - 7:.1f},{y2 - 4:.1f} {x2 - 7:.1f},{y2 + 4:.1f} {x2:.1f},{y2:.1f}"
    return [
        element("line", x1=x1, y1=y1, x2=x2, y2=y2, stroke=MUTED, stroke_width=1.2),
        element("polygon", points=head, fill=MUTED),
    ]


def _column(x: float, column: FlowColumn) -> list[str]:
    body = [text(x, 20, column.heading, font_weight="bold", font_size="14", fill=TEXT)]
    for index, step in enumerate(column.steps):
        y = 34 + index * STEP
        body += _box(x, y, BOX_WIDTH, step.label, step.count, column.colour)
        if index:
            body += _arrow(x + BOX_WIDTH / 2, y - STEP + BOX_HEIGHT, x + BOX_WIDTH / 2, y)
        if step.exit_label:
            exit_x = x + BOX_WIDTH + GAP
            body += _arrow(x + BOX_WIDTH, y + BOX_HEIGHT / 2, exit_x, y + BOX_HEIGHT / 2)
            body += _box(exit_x, y, EXIT_WIDTH, step.exit_label, step.exit_count, MUTED)
    return body


def flow_diagram(title: str, columns: list[FlowColumn], *, chart_id: str = "") -> str:
    """The columns side by side, each step a box with its count."""
    rows = max((len(column.steps) for column in columns), default=0)
    width = 20 + (max(len(columns), 1) - 1) * COLUMN + BOX_WIDTH + GAP + EXIT_WIDTH
    height = 34 + rows * STEP + 6
    body = [part for n, column in enumerate(columns) for part in _column(10 + n * COLUMN, column)]
    return document(width, height, title, body, chart_id=chart_id)
