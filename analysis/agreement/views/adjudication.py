"""Adjudication pages: a session's disagreement queue (and putting disagreements on a
meeting's agenda), the side-by-side comparison of one transcript, and settling
or withdrawing a resolution from it."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from analysis.agreement.models import Resolution, ResolutionKind
from analysis.agreement.selectors.disagreements import (
    PassageState,
    coder_pairs,
    disagreement_queue,
    passage_texts,
    resolution_history,
    session_comparison,
    session_passages,
)
from analysis.agreement.selectors.reading import (
    LETTERS,
    CoderLabel,
    disagreement_reading,
    stretches,
)
from analysis.agreement.selectors.scope import check_comparable, codes_in_tree_order
from analysis.agreement.services.adjudication import (
    disagreement_resolve,
    disagreements_to_agenda,
    resolution_withdraw,
)
from analysis.coding.models import Code, SessionState
from analysis.coding.selectors.workspace import coding_session_get
from analysis.deliberation.models import MeetingRecord
from dyads.exceptions import DomainError
from dyads.models import Role, Study
from dyads.permissions import Action, role_allows
from dyads.selectors import display_names
from dyads.views import study_context, study_page
from interviews.models import TranscriptRevision


def _comparable(request: HttpRequest, study: Study, role: Role, session_id: int):
    session = coding_session_get(study=study, session_id=session_id)
    check_comparable(user=request.user, role=role, session=session)
    return session


def error_text(error: DomainError) -> str:
    """A DomainError as one sentence for a page message, naming the fields."""
    return " ".join(
        text if field == "detail" else f"{field.replace('_', ' ').capitalize()}: {text}"
        for field, text in error.detail.items()
    )


QUEUE_OPTIONS = ("code", "transcript", "pair", "state", "order")
QUEUE_DEFAULTS = {"code": None, "transcript": None, "pair": None, "state": "unresolved"}


def queue_query(options: dict, at: int) -> str:
    """The queue's filters and position as a query string."""
    return urlencode({**{k: v for k, v in options.items() if v}, "at": at})


def _queue_options(params) -> dict:
    return {**QUEUE_DEFAULTS, "order": "size"} | {
        key: params.get(key) for key in QUEUE_OPTIONS if params.get(key)
    }


def _position(value: str | None, count: int) -> int:
    return min(max(int(value), 1), max(count, 1)) if value and value.isdigit() else 1


@study_page(action=Action.VIEW_ANALYSIS)
def disagreements_page(
    request: HttpRequest, study: Study, role: Role, session_id: int
) -> HttpResponse:
    """The queue, one disagreement at a time, read in its context and settled from here."""
    session = _comparable(request, study, role, session_id)
    found = session_passages(session=session)
    options = _queue_options(request.GET)
    try:
        queue = disagreement_queue(found, **options)
    except DomainError as error:
        messages.error(request, error_text(error))
        options = _queue_options({})
        queue = disagreement_queue(found, **options)
    at = _position(request.GET.get("at"), len(queue))
    current = queue[at - 1] if queue else None
    codes = {view.code.pk: view.code for view in found.disagreements}
    names = display_names(coder.username for coder in found.coders)
    context = study_context(
        study,
        role,
        session=session,
        options=options,
        queue=queue,
        at=at,
        query=queue_query(options, at),
        previous=queue_query(options, at - 1) if at > 1 else "",
        next=queue_query(options, at + 1) if at < len(queue) else "",
        items=[(n, view, queue_query(options, n)) for n, view in enumerate(queue, 1)],
        reading=disagreement_reading(current) if current else None,
        texts=passage_texts(queue),
        codes=codes_in_tree_order(study=study, used=set(codes)),
        transcripts=found.texts,
        pairs=[(f"{a},{b}", names.get(a, a), names.get(b, b)) for a, b in coder_pairs(found)],
        names=names,
        kinds=ResolutionKind,
        unresolved=sum(view.state == PassageState.UNRESOLVED for view in found.disagreements),
        total=len(found.disagreements),
        history=resolution_history(session=session),
        outdated={r.pk for r in found.outdated},
        meetings=MeetingRecord.objects.filter(study=study).order_by("-date", "-pk"),
        can_record=role_allows(role, Action.RECORD_MEETING)
        and session.state == SessionState.CLOSED,
        can_adjudicate=role_allows(role, Action.ADJUDICATE)
        and session.state == SessionState.CLOSED,
    )
    return render(request, "analysis/adjudication.html", context)


def passage_key(value: str) -> tuple[int, int, int, int]:
    parts = value.split(":")
    if len(parts) != 4 or not all(part.isdigit() for part in parts):
        raise DomainError({"passages": f"'{value}' does not name a passage."})
    return tuple(int(part) for part in parts)


@require_POST
@study_page(action=Action.RECORD_MEETING)
def disagreements_agenda_page(
    request: HttpRequest, study: Study, role: Role, session_id: int
) -> HttpResponse:
    session = _comparable(request, study, role, session_id)
    back = _back_to(study, session, None, queue=request.POST.get("queue", ""))
    meeting_id = request.POST.get("meeting", "")
    chosen = request.POST.getlist("passages")
    everything = request.POST.get("scope") == "unresolved"
    code_id = request.POST.get("code", "")
    if not chosen and not everything:
        messages.warning(
            request,
            "No disagreement was ticked, so nothing was put on the agenda: tick those "
            "to discuss in the list first.",
        )
        return redirect(back)
    try:
        meeting = MeetingRecord.objects.filter(
            study=study, pk=int(meeting_id) if meeting_id.isdigit() else None
        ).first()
        if meeting is None:
            raise DomainError({"meeting": "Choose a meeting of this study."})
        items = disagreements_to_agenda(
            actor=request.user,
            session=session,
            meeting=meeting,
            passages=None if everything else [passage_key(value) for value in chosen],
            code=Code.objects.filter(study=study, pk=code_id).first()
            if code_id.isdigit()
            else None,
        )
    except DomainError as error:
        messages.error(request, error_text(error))
        return redirect(back)
    if items:
        messages.success(
            request,
            f"{len(items)} disagreement{'s' if len(items) != 1 else ''} put on the agenda of "
            f"“{meeting.title}” ({meeting.date:%d %b %Y}).",
        )
    else:
        messages.info(
            request, f"Those disagreements are already on the agenda of “{meeting.title}”."
        )
    return redirect(back)


@study_page(action=Action.VIEW_ANALYSIS)
def comparison_page(
    request: HttpRequest, study: Study, role: Role, session_id: int, transcript_id: int
) -> HttpResponse:
    session = _comparable(request, study, role, session_id)
    try:
        comparison = session_comparison(session=session, transcript=transcript_id)
    except DomainError as error:
        raise Http404(str(error)) from error
    names = display_names(comparison.coders)
    history = {
        record.resolution.pk: record
        for record in resolution_history(session=session)
        if record.resolution.revision_id == comparison.text.revision
    }
    context = study_context(
        study,
        role,
        session=session,
        comparison=comparison,
        transcripts=session.transcripts.select_related("interview__participant").order_by(
            "interview__participant__pseudonym", "interview__sequence_number"
        ),
        history=history,
        names=names,
        coders=[
            CoderLabel(LETTERS[n], username, names.get(username, username), True)
            for n, username in enumerate(comparison.coders)
        ],
        marked={
            view.anchor: stretches(view, comparison.body, view.start, view.end)
            for view in comparison.disagreements
        },
        kinds=ResolutionKind,
        can_adjudicate=role_allows(role, Action.ADJUDICATE)
        and session.state == SessionState.CLOSED,
    )
    return render(request, "analysis/comparison.html", context)


class ResolveForm(forms.Form):
    revision = forms.IntegerField(min_value=1)
    code = forms.IntegerField(min_value=1)
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=0)
    choice = forms.CharField(error_messages={"required": "Choose how to settle it."})
    edited_start = forms.IntegerField(min_value=0, required=False)
    edited_end = forms.IntegerField(min_value=0, required=False)
    reason = forms.CharField(required=False)


def _resolve(request: HttpRequest, study: Study, session) -> tuple[Resolution, bool]:
    """Parse the comparison page's form and call the service."""
    form = ResolveForm(request.POST)
    if not form.is_valid():
        raise DomainError({field: " ".join(errors) for field, errors in form.errors.items()})
    data = form.cleaned_data
    revision = TranscriptRevision.objects.filter(
        pk=data["revision"], transcript__interview__study=study
    ).first()
    code = Code.objects.filter(study=study, pk=data["code"]).first()
    if revision is None or code is None:
        raise DomainError({"passage": "That passage is not part of this study."})
    kind, _, username = data["choice"].partition(":")
    coder = session.coders.filter(username=username).first() if username else None
    if kind == ResolutionKind.ACCEPT and coder is None:
        raise DomainError({"coder": f"'{username}' is not a coder of this session."})
    edited = kind == ResolutionKind.EDITED
    return disagreement_resolve(
        actor=request.user,
        session=session,
        revision=revision,
        code=code,
        start=data["start"],
        end=data["end"],
        kind=kind,
        coder=coder,
        edited_start=data["edited_start"] if edited else None,
        edited_end=data["edited_end"] if edited else None,
        reason=data["reason"],
    )


def _back_to(study: Study, session, transcript, anchor: str = "", queue: str = "") -> str:
    """The comparison page the form came from, else the queue at the position it was at."""
    if transcript and str(transcript).isdigit():
        url = reverse("comparison", args=[study.slug, session.pk, int(transcript)])
        return f"{url}#{anchor}" if anchor else url
    url = reverse("disagreements", args=[study.slug, session.pk])
    params = QueryDict(queue)
    at = _position(params.get("at"), 10**9)
    return f"{url}?{queue_query(_queue_options(params), at)}" if queue else url


@require_POST
@study_page(action=Action.ADJUDICATE)
def resolve_page(request: HttpRequest, study: Study, role: Role, session_id: int) -> HttpResponse:
    session = _comparable(request, study, role, session_id)
    anchor = "passage-{revision}-{code}-{start}-{end}".format(
        **{key: request.POST.get(key, "") for key in ("revision", "code", "start", "end")}
    )
    try:
        resolution, created = _resolve(request, study, session)
    except DomainError as error:
        messages.error(request, error_text(error))
    else:
        if created:
            messages.success(
                request,
                f"Settled: {resolution.get_kind_display().lower()} for “{resolution.code.name}” "
                f"in {resolution.revision.transcript.interview}; it is in the consensus now.",
            )
        else:
            messages.info(request, "This disagreement was already settled this way.")
    return redirect(
        _back_to(
            study, session, request.POST.get("transcript"), anchor, request.POST.get("queue", "")
        )
    )


@require_POST
@study_page(action=Action.ADJUDICATE)
def resolution_withdraw_page(
    request: HttpRequest, study: Study, role: Role, session_id: int, resolution_id: int
) -> HttpResponse:
    session = _comparable(request, study, role, session_id)
    resolution = Resolution.objects.filter(session=session, pk=resolution_id).first()
    if resolution is None:
        raise Http404("No such resolution in this session.")
    try:
        resolution_withdraw(
            actor=request.user, resolution=resolution, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "The resolution is withdrawn; the disagreement is open again.")
    return redirect(_back_to(study, session, request.POST.get("transcript")))
