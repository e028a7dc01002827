"""The cells of the dyad matrix, written in Python: a page of 50 dyads × 20 constituents
has a thousand of them, too many for the template language to render quickly."""

from django import template
from django.utils.html import format_html

from analysis.themes.selectors.matrix import MatrixCell

register = template.Library()


@register.simple_tag
def matrix_cell(cell: MatrixCell, base: str, source: str) -> str:
    """One cell: its counts on both sides and its mark, linking to its excerpts.

    `base` is the matrix page's URL; a cell's excerpts are at base/<dyad>/<theme>/.
    """
    theme = cell.theme.theme
    mark = cell.mark
    label = f"{cell.dyad.label}, {theme.name}: client {cell.client}, therapist {cell.therapist}"
    badge = ""
    if mark is not None:
        label += f", marked {mark.get_verdict_display().lower()}"
        badge = format_html(
            ' <span class="mark mark-{}" title="{}">{}</span>',
            mark.verdict,
            mark.note,
            mark.get_verdict_display(),
        )
    return format_html(
        '<td class="matrix-cell presence-{}"><a class="matrix-cell-link" data-cell '
        'href="{}{}/{}/?source={}" aria-label="{}"><span class="side side-client">C {}</span> '
        '<span class="side side-therapist">T {}</span>{}</a></td>',
        cell.presence,
        base,
        cell.dyad.pk,
        theme.pk,
        source,
        label,
        cell.client,
        cell.therapist,
        badge,
    )
