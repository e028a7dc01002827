"""Supervisor pages (owners and auditors): the audit timeline and its verification,
each coder's output and agreement, audit rounds, audit comments and the exports."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from analysis.supervision.audit_document import audit_report_docx
from analysis.supervision.audit_report import Period, audit_events_csv, decision_log_csv
from analysis.supervision.models import AuditFinding, AuditRound, AuditStratum, AuditVerdict
from analysis.supervision.selectors import (
    TimelineChoices,
    TimelineFilter,
    audit_round_passages,
    audit_timeline,
    coder_summary,
    timeline_choices,
)
from analysis.supervision.services import (
    audit_finding_record,
    audit_round_draw,
    audit_round_sign_off,
)
from dyads.audit import audit_verify
from dyads.audit.checkpoints import checkpoint_document, checkpoint_latest, public_key_hex
from dyads.audit.words import audit_in_words
from dyads.audit_comments import audit_comment_create
from dyads.exceptions import DomainError
from dyads.forms import ServiceForm, form_submit
from dyads.models import Role, Study
from dyads.permissions import Action
from dyads.views import study_context, study_page

audit_page = study_page(action=Action.VIEW_AUDIT)
PAGE_SIZE = 100
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _timeline_filter(request: HttpRequest, choices: TimelineChoices) -> tuple[TimelineFilter, dict]:
    try:
        where = TimelineFilter.from_query(request.GET)
        where.check(choices)
    except DomainError as error:
        return TimelineFilter(), error.detail
    return where, {}


@audit_page
def audit_timeline_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    choices = timeline_choices(study=study)
    where, problems = _timeline_filter(request, choices)
    page = Paginator(audit_timeline(study=study, where=where), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = study_context(
        study,
        role,
        page=page,
        told=audit_in_words(study=study, events=page.object_list),
        where=where,
        problems=problems,
        query=query.urlencode(),
        choices=choices,
    )
    return render(request, "analysis/audit_timeline.html", context, status=400 if problems else 200)


@audit_page
def audit_verify_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    """Recompute the study's hash chain and name the first broken link; offer the latest
    signed checkpoint for download."""
    context = study_context(
        study,
        role,
        report=audit_verify(study=study),
        checkpoint=checkpoint_latest(study),
        public_key=public_key_hex(),
    )
    return render(request, "analysis/audit_verify.html", context)


@audit_page
def audit_checkpoint_download(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    """The latest signed checkpoint of the study's chain, as a file to keep."""
    checkpoint = checkpoint_latest(study)
    if checkpoint is None:
        raise Http404("No checkpoint of this study's audit chain has been published yet.")
    response = HttpResponse(checkpoint_document(checkpoint), content_type="application/json")
    name = f"audit-checkpoint-{study.slug}-{checkpoint.sequence}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@audit_page
def audit_coders_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    report = coder_summary(user=request.user, role=role, study=study)
    return render(request, "analysis/audit_coders.html", study_context(study, role, report=report))


# Audit comments ---------------------------------------------------------------------------


class CommentForm(ServiceForm):
    object_type = forms.CharField(widget=forms.HiddenInput)
    object_id = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Audit comment")

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        self.study = study

    def submit(self, *, actor):
        return audit_comment_create(actor=actor, study=self.study, **self.cleaned_data)


@require_POST
@study_page(action=Action.AUDIT_COMMENT)
def audit_comment_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    form = CommentForm(request.POST, study=study)
    if form_submit(form, actor=request.user) is None:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    else:
        messages.success(request, "Audit comment recorded.")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("audit-timeline", study.slug)


# Audit rounds -------------------------------------------------------------------------------


class RoundForm(ServiceForm):
    title = forms.CharField(max_length=200)
    strata = forms.MultipleChoiceField(
        choices=AuditStratum.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    per_stratum = forms.IntegerField(min_value=1, initial=2, label="Passages per stratum")
    seed = forms.IntegerField(
        required=False, min_value=0, help_text="Leave empty for a new random seed; it is recorded."
    )

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        self.study = study

    def submit(self, *, actor):
        return audit_round_draw(actor=actor, study=self.study, **self.cleaned_data)


class FindingForm(ServiceForm):
    verdict = forms.ChoiceField(choices=AuditVerdict.choices, widget=forms.RadioSelect)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, finding: AuditFinding, **kwargs):
        if not args:
            kwargs["initial"] = {"verdict": finding.verdict, "comment": finding.comment}
        super().__init__(*args, **kwargs)
        self.finding = finding

    def submit(self, *, actor):
        return audit_finding_record(actor=actor, finding=self.finding, **self.cleaned_data)


class SignOffForm(ServiceForm):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, audit_round: AuditRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.audit_round = audit_round

    def submit(self, *, actor):
        return audit_round_sign_off(actor=actor, audit_round=self.audit_round, **self.cleaned_data)


@audit_page
def audit_rounds_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    form = RoundForm(request.POST or None, study=study)
    audit_round = form_submit(form, actor=request.user) if request.method == "POST" else None
    if audit_round is not None:
        messages.success(request, f"Drew {audit_round.findings.count()} passages.")
        return redirect("audit-round", study.slug, audit_round.pk)
    rounds = AuditRound.objects.filter(study=study).select_related("created_by", "signed_off_by")
    context = study_context(study, role, form=form, rounds=rounds)
    return render(
        request, "analysis/audit_rounds.html", context, status=400 if form.errors else 200
    )


def _round(study: Study, round_id: int) -> AuditRound:
    return get_object_or_404(
        AuditRound.objects.select_related("created_by", "signed_off_by"), pk=round_id, study=study
    )


@audit_page
def audit_round_page(request: HttpRequest, study: Study, role: Role, round_id: int) -> HttpResponse:
    audit_round = _round(study, round_id)
    passages = audit_round_passages(audit_round=audit_round)
    context = study_context(
        study,
        role,
        audit_round=audit_round,
        strata=[AuditStratum(stratum).label.lower() for stratum in audit_round.strata],
        rows=[
            (p, FindingForm(finding=p.finding, prefix=f"finding-{p.finding.pk}")) for p in passages
        ],
        sign_off_form=SignOffForm(audit_round=audit_round),
    )
    return render(request, "analysis/audit_round.html", context)


@require_POST
@study_page(action=Action.AUDIT_COMMENT)
def audit_finding_page(
    request: HttpRequest, study: Study, role: Role, round_id: int, finding_id: int
) -> HttpResponse:
    finding = get_object_or_404(AuditFinding, pk=finding_id, round_id=round_id, round__study=study)
    form = FindingForm(request.POST, finding=finding, prefix=f"finding-{finding.pk}")
    if form_submit(form, actor=request.user) is None:
        for errors in form.errors.values():
            messages.error(request, f"Passage {finding.position}: {' '.join(errors)}")
    return redirect(reverse("audit-round", args=[study.slug, round_id]) + f"#finding-{finding.pk}")


@require_POST
@study_page(action=Action.AUDIT_COMMENT)
def audit_round_sign_off_page(
    request: HttpRequest, study: Study, role: Role, round_id: int
) -> HttpResponse:
    form = SignOffForm(request.POST, audit_round=_round(study, round_id))
    if form_submit(form, actor=request.user) is None:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    else:
        messages.success(request, "Audit round signed off.")
    return redirect("audit-round", study.slug, round_id)


# Exports --------------------------------------------------------------------------------------


def _period(request: HttpRequest) -> Period:
    where = TimelineFilter.from_query(request.GET)
    return Period(where.date_from, where.date_to)


def _export(kind: str):
    @audit_page
    def export(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
        try:
            period = _period(request)
        except DomainError as error:
            return HttpResponse(
                " ".join(error.detail.values()), status=400, content_type="text/plain"
            )
        if kind == "events":
            body = StreamingHttpResponse(
                audit_events_csv(study=study, period=period), content_type="text/csv"
            )
            return _named(body, study, "audit-trail.csv", period)
        if kind == "decisions":
            body = StreamingHttpResponse(
                decision_log_csv(study=study, period=period), content_type="text/csv"
            )
            return _named(body, study, "decision-log.csv", period)
        body = HttpResponse(audit_report_docx(study=study, period=period), content_type=DOCX)
        return _named(body, study, "audit-report.docx", period)

    return export


def _named(response: HttpResponse, study: Study, name: str, period: Period) -> HttpResponse:
    stem, _, extension = name.rpartition(".")
    dates = "".join(f"-{day}" for day in (period.start, period.end) if day)
    response["Content-Disposition"] = (
        f'attachment; filename="{study.slug}-{stem}{dates}.{extension}"'
    )
    return response


audit_events_export = _export("events")
decision_log_export = _export("decisions")
audit_report_export = _export("report")
