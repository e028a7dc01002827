"""Interview-guide coverage pages: the study's coverage per question, and one
interview's questions with the "asked here" action on its transcript."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from analysis.themes.models import QuestionCoverage
from analysis.themes.selectors.coverage import (
    interview_coverage,
    interview_questions,
    study_coverage,
)
from analysis.themes.services.coverage import (
    coverage_detect,
    coverage_mark_asked_here,
    coverage_unmark,
)
from analysis.themes.views.theme_forms import AskedHereForm
from dyads.exceptions import DomainError, NotFound
from dyads.models import Role, Study
from dyads.permissions import Action, role_allows
from dyads.views import study_context, study_page


@study_page(action=Action.VIEW_ANALYSIS)
def coverage_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    context = study_context(study, role, coverage=study_coverage(study=study))
    return render(request, "analysis/coverage.html", context)


@study_page(action=Action.VIEW_ANALYSIS)
def interview_coverage_page(
    request: HttpRequest, study: Study, role: Role, interview_id: int
) -> HttpResponse:
    coverage = interview_coverage(study=study, interview_id=interview_id)
    context = study_context(
        study,
        role,
        coverage=coverage,
        questions=[status.question for status in coverage.questions],
        can_edit=role_allows(role, Action.CODE),
    )
    return render(request, "analysis/coverage_interview.html", context)


@require_POST
@study_page(action=Action.CODE)
def asked_here_page(
    request: HttpRequest, study: Study, role: Role, interview_id: int
) -> HttpResponse:
    coverage = interview_coverage(study=study, interview_id=interview_id)
    interview = coverage.interview
    form = AskedHereForm(request.POST, questions=interview_questions(interview))
    if coverage.revision is None:
        messages.error(request, "The interview has no transcript yet.")
    elif not form.is_valid():
        messages.error(request, "Choose the guide question that was asked here.")
    else:
        try:
            coverage_mark_asked_here(
                actor=request.user,
                question=form.cleaned_data["question"],
                revision=coverage.revision,
                turn_index=form.cleaned_data["turn"],
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Marked: “{form.cleaned_data['question']}” asked here.")
    return redirect("interview-coverage", study.slug, interview.pk)


@require_POST
@study_page(action=Action.CODE)
def coverage_detect_page(
    request: HttpRequest, study: Study, role: Role, interview_id: int
) -> HttpResponse:
    interview = interview_coverage(study=study, interview_id=interview_id).interview
    try:
        found = coverage_detect(actor=request.user, interview=interview)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"{len(found)} question{'s' if len(found) != 1 else ''} found word for word."
        )
    return redirect("interview-coverage", study.slug, interview.pk)


@require_POST
@study_page(action=Action.CODE)
def coverage_unmark_page(
    request: HttpRequest, study: Study, role: Role, coverage_id: int
) -> HttpResponse:
    mark = QuestionCoverage.objects.filter(study=study, pk=coverage_id).first()
    if mark is None:
        raise NotFound("No such coverage mark in this study.")
    try:
        coverage_unmark(actor=request.user, coverage=mark)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The mark was withdrawn.")
    return redirect("interview-coverage", study.slug, mark.interview_id)
