"""The methods tables, the charts, the results report (preview and downloads) and its
settings."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from analysis.themes.report.results_report import (
    results_docx,
    results_html,
    results_markdown,
    results_report,
)
from analysis.themes.selectors.chart_data import study_charts
from analysis.themes.selectors.participants_tables import participants_tables
from analysis.themes.selectors.source import CodingSource
from analysis.themes.services.report_settings import report_settings_get
from analysis.themes.views.theme_common import read_query
from analysis.themes.views.theme_forms import ReportClearForm, ReportSettingsForm
from dyads.access import access_log_record
from dyads.forms import form_submit
from dyads.models import AccessAction, Role, Study
from dyads.permissions import Action, role_allows
from dyads.views import study_context, study_page

FORMATS = {
    "docx": (
        results_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "md": (results_markdown, "text/markdown; charset=utf-8"),
    "html": (results_html, "text/html; charset=utf-8"),
}


@study_page
def methods_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    context = study_context(study, role, tables=participants_tables(study=study))
    return render(request, "analysis/methods.html", context)


@study_page(action=Action.VIEW_ANALYSIS)
def charts_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    source = read_query(
        request, lambda: CodingSource.from_query(request.GET), CodingSource.CONSENSUS
    )
    context = study_context(
        study,
        role,
        charts=study_charts(user=request.user, study=study, source=source),
        source=source,
        sources=list(CodingSource),
    )
    return render(request, "analysis/report_charts.html", context)


@study_page(action=Action.VIEW_ANALYSIS)
def report_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    report = results_report(study=study)
    context = study_context(
        study,
        role,
        report=report,
        can_configure=role_allows(role, Action.MANAGE_STUDY),
        clear_form=ReportClearForm(initial={"fingerprint": report.fingerprint}),
    )
    return render(request, "analysis/report.html", context)


@require_POST
@study_page(action=Action.MANAGE_STUDY)
def report_clear_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    """An owner clears the report they read for publication."""
    form = ReportClearForm(request.POST)
    if form_submit(form, actor=request.user, study=study) is not None:
        messages.success(request, "The report is cleared for publication.")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("report", study.slug)


@study_page(action=Action.VIEW_ANALYSIS)
def report_download(request: HttpRequest, study: Study, role: Role, fmt: str) -> HttpResponse:
    """The report as a file. With open warnings, only once the reader acknowledges them."""
    if fmt not in FORMATS:
        raise Http404("No such report format.")
    render_report, content_type = FORMATS[fmt]
    report = results_report(study=study)
    acknowledged = request.GET.get("acknowledge") == "yes"
    if report.warnings and not acknowledged:
        messages.error(
            request,
            f"The report has {len(report.warnings)} open re-identification warning(s): "
            "confirm that you have read them to download it.",
        )
        return redirect("report", study.slug)
    response = HttpResponse(render_report(report), content_type=content_type)
    name = f"{slugify(study.slug)}-results.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    state = "cleared" if report.cleared else "not cleared"
    warnings = f", {len(report.warnings)} warning(s) acknowledged" if report.warnings else ""
    access_log_record(
        user=request.user,
        study=study,
        action=AccessAction.EXPORT,
        object_type="results_report",
        object_id=study.pk,
        detail=f"results report ({fmt}, {state}{warnings})",
        request=request,
    )
    return response


@study_page(action=Action.MANAGE_STUDY)
def report_settings_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    settings = report_settings_get(study=study)
    form = ReportSettingsForm(
        request.POST or None,
        initial={
            "client_pronoun": settings.client_pronoun,
            "therapist_pronoun": settings.therapist_pronoun,
            "sensitive_terms": "\n".join(settings.sensitive_terms),
            "min_cell_size": settings.min_cell_size,
            "version": settings.version,
        },
    )
    if form_submit(form, actor=request.user, study=study) is not None:
        messages.success(request, "The report settings were saved.")
        return redirect("report", study.slug)
    return render(
        request,
        "analysis/report_settings.html",
        study_context(study, role, form=form),
        status=400 if form.errors else 200,
    )
