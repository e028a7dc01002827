"""Why is this passage coded as it is: a coding's provenance, a quote's trace back to
the independent codings, and a code's whole history."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from analysis.supervision.models import AuditFinding
from analysis.supervision.selectors import code_history, coding_provenance, quote_trace
from analysis.supervision.services import audit_finding_reply
from dyads.forms import ServiceForm, form_submit
from dyads.models import Role, Study
from dyads.permissions import Action, role_allows
from dyads.views import study_context, study_page


class ReplyForm(ServiceForm):
    reply = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Your answer")

    def __init__(self, *args, finding: AuditFinding, **kwargs):
        super().__init__(*args, **kwargs)
        self.finding = finding

    def submit(self, *, actor):
        return audit_finding_reply(actor=actor, finding=self.finding, **self.cleaned_data)


@study_page(action=Action.VIEW_ANALYSIS)
def coding_why_page(request: HttpRequest, study: Study, role: Role, coding_id: int) -> HttpResponse:
    provenance = coding_provenance(user=request.user, role=role, study=study, coding_id=coding_id)
    is_coder = provenance.coding.coder_id == request.user.pk
    context = study_context(
        study,
        role,
        provenance=provenance,
        coding=provenance.coding,
        replies=[
            (
                finding,
                ReplyForm(finding=finding, prefix=f"reply-{finding.pk}") if is_coder else None,
            )
            for finding in provenance.findings
        ],
        may_comment=role_allows(role, Action.AUDIT_COMMENT),
    )
    return render(request, "analysis/provenance.html", context)


@require_POST
@study_page(action=Action.CODE)
def finding_reply_page(
    request: HttpRequest, study: Study, role: Role, finding_id: int
) -> HttpResponse:
    finding = get_object_or_404(AuditFinding, pk=finding_id, round__study=study)
    form = ReplyForm(request.POST, finding=finding, prefix=f"reply-{finding.pk}")
    if form_submit(form, actor=request.user) is None:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    else:
        messages.success(request, "Your answer is recorded.")
    return redirect("coding-why", study.slug, finding.coding_id)


@study_page(action=Action.VIEW_ANALYSIS)
def quote_trace_page(request: HttpRequest, study: Study, role: Role, quote_id: int) -> HttpResponse:
    trace = quote_trace(user=request.user, study=study, quote_id=quote_id)
    return render(
        request, "analysis/provenance_quote.html", study_context(study, role, trace=trace)
    )


@study_page(action=Action.VIEW_ANALYSIS)
def code_history_page(request: HttpRequest, study: Study, role: Role, code_id: int) -> HttpResponse:
    history = code_history(study=study, code_id=code_id)
    peak = max((week.total for week in history.weeks), default=0)
    return render(
        request,
        "analysis/code_history.html",
        study_context(study, role, history=history, peak=peak),
    )
