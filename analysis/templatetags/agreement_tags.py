"""Filters for the agreement pages: coefficients as printed, and their colour band."""

from django import template

from analysis.charts.agreement import band, figure

register = template.Library()


@register.filter(name="figure")
def figure_filter(value) -> str:
    """.812, -.031 or – for an undefined coefficient."""
    return figure(value)


@register.filter
def band_name(value) -> str:
    """The CSS class suffix of the coefficient's colour band (high … negative, none)."""
    return band(value).name


@register.filter
def spans(value) -> str:
    """Code point spans as '12–40, 52–60', or 'not coded'."""
    if value is None:
        return "did not code this transcript"
    return ", ".join(f"{start}–{end}" for start, end in value) or "not coded"


@register.filter
def passage_text(view, texts: dict) -> str:
    """The text of a passage, from the {revision: text} the view passes along."""
    return texts.get(view.text.revision, "")[view.start : view.end]


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)


@register.filter
def span_texts(spans, body: str) -> str:
    """Spans of a text as the words they cover, quoted, or 'nothing'."""
    return "; ".join(f"“{body[start:end]}”" for start, end in spans) or "nothing"
