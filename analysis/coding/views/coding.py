"""The coding page of one transcript: its text and turns, rendered once.

The codings, the codebook and the live updates reach the page through the API
(`/api/v1/revisions/{id}/codings/` and `.../changes/`), which the page's
JavaScript modules in static/js/coding/ read and write.
"""

from html import escape

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe

from analysis.coding.selectors.workspace import CodingTurn, coding_page
from dyads.access import access_log_record
from dyads.models import AccessAction, Role, Study
from dyads.permissions import Action
from dyads.views import study_context, study_page
from interviews.models import SpeakerRole

# One turn of the coding page. Written out here rather than in the template:
# a long transcript has hundreds of turns, and the template engine would spend
# most of the page's time resolving their variables (see bench_coding_page.py).
TURN = (
    '<article class="turn turn-{role}" data-speaker="{speaker}"><header class="turn-header">'
    '<span class="turn-speaker">{speaker}</span><span class="turn-role">{label}</span>{time}'
    '</header><div class="coding-turn">'
    '<div class="coding-text" data-start="{start}" data-end="{end}">{text}</div>'
    '<ul class="coding-margin" aria-label="Codes in this turn"></ul></div></article>'
)


def turns_html(turns: list[CodingTurn]) -> SafeString:
    """The turns as HTML; a turn's text is exactly the revision's, character for character.

    Every value from the database is escaped (html.escape, quotes included).
    Carriage returns are written as references: a browser turns a literal
    CR LF into LF while parsing, and the page's offsets would drift.
    """
    labels = {role: str(role.label) for role in SpeakerRole}
    # Safe: the markup is TURN's, every value in it escaped or a number.
    return mark_safe(
        "\n".join(
            TURN.format(
                role=turn.role.value,
                speaker=escape(turn.speaker or "—"),
                label=labels[turn.role],
                time=f'<span class="turn-time">{escape(turn.timestamp)}</span>'
                if turn.timestamp
                else "",
                start=turn.start,
                end=turn.end,
                text=escape(turn.text).replace("\r", "&#13;"),
            )
            for turn in turns
        )
    )


def _session_id(request: HttpRequest) -> int | None:
    """The `?session=` of a page's address, or None; anything but a number is a 404."""
    value = request.GET.get("session")
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise Http404("No such coding session.")
    return int(value)


@study_page(action=Action.VIEW_ANALYSIS)
def coding_page_view(
    request: HttpRequest, study: Study, role: Role, interview_id: int
) -> HttpResponse:
    page = coding_page(
        study=study,
        role=role,
        user=request.user,
        interview_id=interview_id,
        session_id=_session_id(request),
    )
    access_log_record(
        user=request.user,
        study=study,
        action=AccessAction.READ_TRANSCRIPT,
        object_type="interviews.transcript",
        object_id=page.revision.transcript_id,
        request=request,
    )
    speakers = sorted({turn.speaker for turn in page.turns if turn.speaker})
    context = study_context(study, role, page=page, turns=turns_html(page.turns), speakers=speakers)
    return render(request, "analysis/coding.html", context)
