"""The drawing primitives and palette every chart uses.

Everything a chart needs to look right is in its presentation attributes (no
CSS classes but the figure's own), so that the SVG still looks the same when
saved on its own or drawn onto a canvas. Every text and attribute is escaped.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
TEXT = "#1f2328"
MUTED = "#57606a"
GRID = "#d8dad3"
CLIENT = "#2e6b3f"
THERAPIST = "#4b3f72"
ACCENT = "#2f5d62"
BACKGROUND = "#ffffff"


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


def attributes(values: dict[str, object]) -> str:
    """` name="value"` for each item (a float to a tenth); `_` in names becomes `-`."""
    return "".join(
        f" {name.replace('_', '-')}={quoteattr(f'{v:.1f}' if isinstance(v, float) else str(v))}"
        for name, v in values.items()
    )


def element(tag: str, content: str = "", /, **attrs: object) -> str:
    """An element with its attributes (values escaped) and `content` (already markup)."""
    if not content:
        return f"<{tag}{attributes(attrs)}/>"
    return f"<{tag}{attributes(attrs)}>{content}</{tag}>"


def title(text: str) -> str:
    """A tooltip: the escaped <title> of the element it is put in."""
    return f"<title>{escape(text)}</title>"


def document(
    width: float, height: float, heading: str, body: Iterable[str], *, chart_id: str = ""
) -> str:
    """The <svg> of a chart: its size, title (for screen readers) and white background.

    With a `chart_id` the svg has that id and is labelled by its title."""
    labelled = f' id="{chart_id}" aria-labelledby="{chart_id}-title"' if chart_id else ""
    title_id = f' id="{chart_id}-title"' if chart_id else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg"{labelled} class="chart-svg" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family={quoteattr(FONT)} font-size="12" fill="{TEXT}">'
        f"<title{title_id}>{escape(heading)}</title>"
        f'<rect width="{width}" height="{height}" fill="{BACKGROUND}"/>' + "".join(body) + "</svg>"
    )


def text(x: float, y: float, content: str, **attrs: object) -> str:
    """A text at (x, y), to a tenth of a pixel."""
    return f'<text x="{x:.1f}" y="{y:.1f}"{attributes(attrs)}>{escape(content)}</text>'


def legend(series: tuple[Series, ...], x: float, y: float) -> list[str]:
    """A colour square and the name of each series, side by side from (x, y)."""
    parts = []
    for series_item in series:
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{series_item.colour}"/>'
        )
        parts.append(text(x + 14, y, series_item.name))
        x += 24 + 7 * len(series_item.name)
    return parts


def truncated(label: str, length: int) -> str:
    """`label` cut to `length` characters, the last an ellipsis, if it is longer."""
    return label if len(label) <= length else label[: length - 1] + "…"
