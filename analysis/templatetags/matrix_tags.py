"""The cells of the dyad matrix, written in Python: a page of 50 dyads × 20 constituents
has a thousand of them, too many for the template language to render quickly."""

from django import template
from django.utils.html import format_html

from analysis.themes.selectors.matrix import MatrixCell
from analysis.themes.selectors.source import SideState

register = template.Library()

# What a side shows for each state but present (which shows its count); text, not colour.
SIDE_TEXT = {
    SideState.ABSENT: format_html('<span title="{}">0</span>', "absent: coded, no passage"),
    SideState.NOT_CODED: format_html('<em class="state-not-coded">{}</em>', "not coded"),
    SideState.NOT_INTERVIEWED: format_html(
        '<span title="{}">—</span>', "not interviewed: no transcript"
    ),
}


def _side(count: int, state: SideState) -> str:
    """How one side reads aloud: its count, or what its lack of passages means."""
    return str(count) if state == SideState.PRESENT else state.label


@register.simple_tag
def matrix_cell(cell: MatrixCell, base: str, source: str) -> str:
    """One cell: each side's count or state, and its mark, linking to its excerpts.

    `base` is the matrix page's URL; a cell's excerpts are at base/<dyad>/<theme>/.
    """
    theme = cell.theme.theme
    mark = cell.mark
    client, therapist = cell.client_state, cell.therapist_state
    label = (
        f"{cell.dyad.label}, {theme.name}: client {_side(cell.client, client)}, "
        f"therapist {_side(cell.therapist, therapist)}"
    )
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
        'href="{}{}/{}/?source={}"><span class="visually-hidden">{}</span>'
        '<span aria-hidden="true"><span class="side side-client state-{}">C {}</span> '
        '<span class="side side-therapist state-{}">T {}</span>{}</span></a></td>',
        cell.presence,
        base,
        cell.dyad.pk,
        theme.pk,
        source,
        label,
        client,
        SIDE_TEXT.get(client, cell.client),
        therapist,
        SIDE_TEXT.get(therapist, cell.therapist),
        badge,
    )
