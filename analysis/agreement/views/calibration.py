"""Calibration pages: references and attempts, marking a reference, starting and
submitting an attempt, and a trainee's result against the reference."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from analysis.agreement.models import CalibrationAttempt, CalibrationReference
from analysis.agreement.selectors.calibration import (
    calibration_overview,
    calibration_result,
    check_result_visible,
)
from analysis.agreement.selectors.disagreements import passage_texts
from analysis.agreement.selectors.reports import agreement_choices
from analysis.agreement.selectors.scope import parse_unit
from analysis.agreement.services.calibration import (
    calibration_attempt_start,
    calibration_attempt_submit,
    calibration_reference_create,
)
from analysis.agreement.views.adjudication import error_text
from analysis.coding.models import CodingSession, SessionState
from dyads.exceptions import DomainError
from dyads.models import Role, Study
from dyads.permissions import Action, role_allows
from dyads.views import study_context, study_page


@study_page(action=Action.VIEW_ANALYSIS)
def calibration_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    can_manage = role_allows(role, Action.MANAGE_STUDY)
    context = study_context(
        study,
        role,
        references=calibration_overview(user=request.user, role=role, study=study),
        can_manage=can_manage,
    )
    if can_manage:
        context["sessions"] = (
            CodingSession.objects.filter(
                study=study, state=SessionState.CLOSED, calibration_attempt__isnull=True
            )
            .prefetch_related("transcripts__interview__participant", "coders")
            .order_by("created_at")
        )
        context["coders"] = agreement_choices(study=study).coders
    return render(request, "analysis/calibration.html", context)


def _user(username: str, field: str):
    user = get_user_model().objects.filter(username=username).first() if username else None
    if username and user is None:
        raise DomainError({field: f"There is no user '{username}'."})
    return user


@require_POST
@study_page(action=Action.MANAGE_STUDY)
def calibration_reference_create_page(
    request: HttpRequest, study: Study, role: Role
) -> HttpResponse:
    session_id, _, transcript_id = request.POST.get("source", "").partition(":")
    try:
        session = CodingSession.objects.filter(
            study=study, pk=int(session_id) if session_id.isdigit() else None
        ).first()
        transcript = (
            session.transcripts.filter(pk=int(transcript_id)).first()
            if session and transcript_id.isdigit()
            else None
        )
        if transcript is None:
            raise DomainError({"transcript": "Choose a transcript of a closed coding session."})
        reference = calibration_reference_create(
            actor=request.user,
            study=study,
            name=request.POST.get("name", ""),
            session=session,
            transcript=transcript,
            coder=_user(request.POST.get("coder", ""), "coder"),
        )
    except DomainError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"“{reference.name}” is a calibration reference now.")
    return redirect("calibration", study.slug)


@require_POST
@study_page(action=Action.MANAGE_STUDY)
def calibration_attempt_start_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    reference_id = request.POST.get("reference", "")
    reference = CalibrationReference.objects.filter(
        study=study, pk=int(reference_id) if reference_id.isdigit() else None
    ).first()
    try:
        if reference is None:
            raise DomainError({"reference": "Choose a reference of this study."})
        trainee = _user(request.POST.get("trainee", ""), "trainee")
        if trainee is None:
            raise DomainError({"trainee": "Choose the coder to be trained."})
        attempt = calibration_attempt_start(
            actor=request.user, reference=reference, trainee=trainee
        )
    except DomainError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            f"{attempt.trainee.username} can now code “{reference.name}” blind, in the session "
            f"“{attempt.session.name}”.",
        )
    return redirect("calibration", study.slug)


def _attempt(study: Study, attempt_id: int) -> CalibrationAttempt:
    attempt = (
        CalibrationAttempt.objects.filter(study=study, pk=attempt_id)
        .select_related(
            "reference__study",
            "reference__revision__transcript__interview__participant",
            "reference__coder",
            "trainee",
            "session",
        )
        .first()
    )
    if attempt is None:
        raise Http404("No such calibration attempt in this study.")
    return attempt


@require_POST
@study_page(action=Action.CODE)
def calibration_attempt_submit_page(
    request: HttpRequest, study: Study, role: Role, attempt_id: int
) -> HttpResponse:
    attempt = _attempt(study, attempt_id)
    try:
        calibration_attempt_submit(actor=request.user, attempt=attempt)
    except DomainError as error:
        messages.error(request, error_text(error))
        return redirect("calibration", study.slug)
    messages.success(request, "Submitted: here is how your coding compares with the reference.")
    return redirect("calibration-result", study.slug, attempt.pk)


@study_page(action=Action.VIEW_ANALYSIS)
def calibration_result_page(
    request: HttpRequest, study: Study, role: Role, attempt_id: int
) -> HttpResponse:
    attempt = _attempt(study, attempt_id)
    check_result_visible(user=request.user, role=role, attempt=attempt)
    try:
        unit = parse_unit(request.GET.get("unit"))
    except DomainError as error:
        raise Http404(str(error)) from error
    result = calibration_result(attempt=attempt, unit=unit)
    texts = passage_texts([*result.missed, *result.extra, *result.bounded])
    context = study_context(study, role, attempt=attempt, result=result, texts=texts)
    return render(request, "analysis/calibration_result.html", context)
