"""Meeting pages: the timeline of meetings and shared reflexive memos, one meeting
with its notes, reviewed passages (playable) and decisions, and the decision log
where analysts propose changes and owners accept or reject them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from analysis.deliberation.models import Decision, DecisionState, MeetingPassage
from analysis.deliberation.selectors import (
    decision_log,
    meeting_detail,
    meeting_timeline,
    study_meetings,
)
from analysis.deliberation.services.meetings import meeting_passage_remove
from analysis.deliberation.views.meeting_forms import (
    AcceptForm,
    MeetingForm,
    PassageForm,
    ProposalForm,
    RejectForm,
)
from dyads.exceptions import NotFound
from dyads.forms import form_submit
from dyads.models import Role, Study
from dyads.permissions import Action, role_allows
from dyads.selectors import audit_comments_on
from dyads.views import study_context, study_page


@study_page(action=Action.VIEW_ANALYSIS)
def meeting_list_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    context = study_context(
        study,
        role,
        timeline=meeting_timeline(study=study),
        can_record=role_allows(role, Action.RECORD_MEETING),
    )
    return render(request, "analysis/meeting_list.html", context)


@study_page(action=Action.RECORD_MEETING)
def meeting_form_page(
    request: HttpRequest, study: Study, role: Role, meeting_id: int | None = None
) -> HttpResponse:
    meeting = meeting_detail(study=study, meeting_id=meeting_id).meeting if meeting_id else None
    form = MeetingForm(request.POST or None, study=study, meeting=meeting)
    if request.method == "POST":
        saved = form_submit(form, actor=request.user)
        if saved is not None:
            messages.success(request, f"Meeting '{saved.title}' saved.")
            return redirect("meeting-detail", study.slug, saved.pk)
    context = study_context(study, role, form=form, meeting=meeting)
    status = 400 if form.errors else 200
    return render(request, "analysis/meeting_form.html", context, status=status)


def _with_comments(study: Study, decisions: list) -> None:
    """Give each decision its audit comments, for the page to show under it (1 query)."""
    comments = audit_comments_on(
        study=study, object_type="analysis.decision", ids=[d.pk for d in decisions]
    )
    for decision in decisions:
        decision.audit_comments = comments.get(str(decision.pk), [])


def _render_meeting(request, study, role, meeting_id, passage_form=None, status=200):
    detail = meeting_detail(study=study, meeting_id=meeting_id)
    can_record = role_allows(role, Action.RECORD_MEETING)
    _with_comments(study, [*detail.decisions, *detail.proposals])
    context = study_context(
        study,
        role,
        detail=detail,
        meeting_comments=audit_comments_on(
            study=study, object_type="analysis.meetingrecord", ids=[meeting_id]
        ).get(str(meeting_id), []),
        may_comment=role_allows(role, Action.AUDIT_COMMENT),
        can_record=can_record,
        passage_form=passage_form or PassageForm(study=study, meeting=detail.meeting),
    )
    return render(request, "analysis/meeting_detail.html", context, status=status)


@study_page(action=Action.VIEW_ANALYSIS)
def meeting_page(request: HttpRequest, study: Study, role: Role, meeting_id: int) -> HttpResponse:
    return _render_meeting(request, study, role, meeting_id)


@require_POST
@study_page(action=Action.RECORD_MEETING)
def meeting_passage_add_page(
    request: HttpRequest, study: Study, role: Role, meeting_id: int
) -> HttpResponse:
    meeting = meeting_detail(study=study, meeting_id=meeting_id).meeting
    form = PassageForm(request.POST, study=study, meeting=meeting)
    if form_submit(form, actor=request.user) is None:
        return _render_meeting(request, study, role, meeting_id, form, status=400)
    messages.success(request, "Passage added to the meeting.")
    return redirect("meeting-detail", study.slug, meeting_id)


@require_POST
@study_page(action=Action.RECORD_MEETING)
def meeting_passage_remove_page(
    request: HttpRequest, study: Study, role: Role, meeting_id: int, passage_id: int
) -> HttpResponse:
    passage = get_object_or_404(
        MeetingPassage, pk=passage_id, meeting_id=meeting_id, meeting__study=study
    )
    meeting_passage_remove(actor=request.user, passage=passage)
    messages.success(request, "Passage removed from the meeting.")
    return redirect("meeting-detail", study.slug, meeting_id)


# The decision log --------------------------------------------------------------------


def _render_log(request, study, role, proposal_form=None, status=200):
    state = request.GET.get("state", "")
    decisions = list(decision_log(study=study, state=state)[:200])
    _with_comments(study, decisions)
    may_accept = role_allows(role, Action.ACCEPT_DECISION)
    # One list of meetings for every proposal's form, not a query per form.
    meetings = [("", "— no meeting —"), *((m.pk, str(m)) for m in study_meetings(study=study))]
    rows = []
    for decision in decisions:
        if not (may_accept and decision.state == DecisionState.PROPOSED):
            rows.append((decision, None, None))
            continue
        accept = AcceptForm(study=study, decision=decision, prefix=f"accept-{decision.pk}")
        accept.fields["meeting"].choices = meetings
        reject = RejectForm(study=study, decision=decision, prefix=f"reject-{decision.pk}")
        rows.append((decision, accept, reject))
    context = study_context(
        study,
        role,
        rows=rows,
        state=state,
        states=DecisionState.choices,
        proposal_form=proposal_form or ProposalForm(study=study),
        may_propose=role_allows(role, Action.PROPOSE_DECISION),
        may_comment=role_allows(role, Action.AUDIT_COMMENT),
    )
    return render(request, "analysis/meeting_decision_log.html", context, status=status)


@study_page(action=Action.VIEW_ANALYSIS)
def decision_log_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    return _render_log(request, study, role)


@require_POST
@study_page(action=Action.PROPOSE_DECISION)
def decision_propose_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    form = ProposalForm(request.POST, study=study)
    if form_submit(form, actor=request.user) is None:
        return _render_log(request, study, role, form, status=400)
    messages.success(request, "Proposal recorded; an owner will accept or reject it.")
    return redirect("decision-log", study.slug)


DECIDE_FORMS = {"accept": AcceptForm, "reject": RejectForm}


@require_POST
@study_page(action=Action.ACCEPT_DECISION)
def decision_decide_page(
    request: HttpRequest, study: Study, role: Role, decision_id: int, verdict: str
) -> HttpResponse:
    decision = get_object_or_404(Decision, pk=decision_id, study=study)
    form_class = DECIDE_FORMS.get(verdict)
    if form_class is None:
        raise NotFound("No such action.")
    form = form_class(
        request.POST, study=study, decision=decision, prefix=f"{verdict}-{decision.pk}"
    )
    if form_submit(form, actor=request.user) is None:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    else:
        messages.success(request, f"Proposal {verdict}ed.")
    return redirect("decision-log", study.slug)
