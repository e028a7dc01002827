"""Adjudication pages: a session's disagreement queue (and putting disagreements on a
meeting's agenda), the side-by-side comparison of one transcript, and settling
or withdrawing a resolution from it."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from analysis.agreement.models import Resolution, ResolutionKind
from analysis.agreement.selectors.disagreements import (
    PassageState,
    disagreement_queue,
    passage_texts,
    resolution_history,
    session_comparison,
    session_passages,
)
from analysis.agreement.selectors.scope import check_comparable
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

QUEUE_PAGE = 100


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


@study_page(action=Action.VIEW_ANALYSIS)
def disagreements_page(
    request: HttpRequest, study: Study, role: Role, session_id: int
) -> HttpResponse:
    session = _comparable(request, study, role, session_id)
    found = session_passages(session=session)
    options = {
        "code": request.GET.get("code") or None,
        "state": request.GET.get("state") or "unresolved",
        "order": request.GET.get("order") or "size",
    }
    try:
        queue = disagreement_queue(found, **options)
    except DomainError as error:
        messages.error(request, error_text(error))
        options = {"code": None, "state": "unresolved", "order": "size"}
        queue = disagreement_queue(found, **options)
    page = Paginator(queue, QUEUE_PAGE).get_page(request.GET.get("page"))
    codes = {view.code.pk: view.code for view in found.disagreements}
    context = study_context(
        study,
        role,
        session=session,
        options=options,
        page=page,
        texts=passage_texts(page.object_list),
        codes=sorted(codes.values(), key=lambda code: code.name),
        unresolved=sum(view.state == PassageState.UNRESOLVED for view in found.disagreements),
        total=len(found.disagreements),
        history=resolution_history(session=session),
        outdated={r.pk for r in found.outdated},
        meetings=MeetingRecord.objects.filter(study=study).order_by("-date", "-pk"),
        can_record=role_allows(role, Action.RECORD_MEETING)
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
    back = reverse("disagreements", args=[study.slug, session.pk])
    meeting_id, code_id = request.POST.get("meeting", ""), request.POST.get("code", "")
    try:
        meeting = MeetingRecord.objects.filter(
            study=study, pk=int(meeting_id) if meeting_id.isdigit() else None
        ).first()
        if meeting is None:
            raise DomainError({"meeting": "Choose a meeting of this study."})
        everything = request.POST.get("scope") == "unresolved"
        chosen = [passage_key(value) for value in request.POST.getlist("passages")]
        items = disagreements_to_agenda(
            actor=request.user,
            session=session,
            meeting=meeting,
            passages=None if everything else chosen,
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
        names=display_names(comparison.coders),
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


def _back_to(study: Study, session, transcript, anchor: str = "") -> str:
    if transcript and str(transcript).isdigit():
        url = reverse("comparison", args=[study.slug, session.pk, int(transcript)])
        return f"{url}#{anchor}" if anchor else url
    return reverse("disagreements", args=[study.slug, session.pk])


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
                f"at {resolution.start}–{resolution.end}; it is in the consensus now.",
            )
        else:
            messages.info(request, "This disagreement was already settled this way.")
    return redirect(_back_to(study, session, request.POST.get("transcript"), anchor))


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
