"""The agreement page: coefficients per code, coder × coder, per transcript (heat map)
and per round (drift), with downloads of the tables."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from analysis.agreement.selectors.recomputed import recomputed_figures
from analysis.agreement.selectors.reports import (
    AgreementChoices,
    agreement_choices,
    agreement_drift,
    agreement_report,
)
from analysis.agreement.selectors.scope import Unit, agreement_scope
from analysis.agreement.serializers import AgreementReportSerializer
from analysis.agreement.tables import TABLES, agreement_csv, agreement_xlsx, check_table
from analysis.charts.agreement import drift_chart, heat_map
from dyads.exceptions import DomainError
from dyads.models import Role, Study
from dyads.permissions import Action
from dyads.selectors import display_names
from dyads.views import study_context, study_page

ALL_CODES = "All codes"


def scope_parameters(request: HttpRequest, choices: AgreementChoices) -> dict:
    """The page's choice of session, unit, coders and transcripts.

    A first visit shows the latest closed session with two or more coders.
    """
    if not request.GET:
        rounds = [s for s in choices.sessions if s.state == "closed" and s.coder_count >= 2]
        return {
            "session": str(rounds[-1].pk) if rounds else "",
            "unit": Unit.CHARACTER.value,
            "coders": [],
            "transcripts": [],
        }
    return {
        "session": request.GET.get("session", ""),
        "unit": request.GET.get("unit") or Unit.CHARACTER.value,
        "coders": request.GET.getlist("coders"),
        "transcripts": request.GET.getlist("transcripts"),
    }


def _report(request: HttpRequest, study: Study, role: Role, params: dict):
    scope = agreement_scope(
        user=request.user,
        role=role,
        study=study,
        session=params["session"] or None,
        unit=params["unit"],
        coders=params["coders"] or None,
        transcripts=params["transcripts"] or None,
    )
    return agreement_report(user=request.user, scope=scope)


@study_page(action=Action.VIEW_ANALYSIS)
def agreement_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    choices = agreement_choices(study=study)
    params = scope_parameters(request, choices)
    report = heat = recomputed = None
    errors = {}
    try:
        report = _report(request, study, role, params)
    except DomainError as error:
        errors = error.detail
    else:
        recomputed = recomputed_figures(user=request.user, report=report)
        heat = heat_map(
            [row.code.name for row in report.codes],
            [row.text.label for row in report.transcripts],
            [
                [row.cells[n].krippendorff_alpha for row in report.transcripts]
                for n in range(len(report.codes))
            ],
        )
    drift = agreement_drift(study=study, unit=report.scope.unit if report else Unit.CHARACTER)
    chart = None
    if drift.points:
        series = {ALL_CODES: [p.overall.krippendorff_alpha for p in drift.points]}
        series.update(
            {code.name: [p.alphas[code.pk] for p in drift.points] for code in drift.codes}
        )
        chart = drift_chart([p.session.name for p in drift.points], series, ALL_CODES)
    query = urlencode({key: value for key, value in params.items() if value}, doseq=True)
    context = study_context(
        study,
        role,
        choices=choices,
        params=params,
        units=Unit.choices,
        report=report,
        recomputed=recomputed,
        errors=errors,
        heat=heat,
        drift=drift,
        chart=chart,
        query=query,
        tables=TABLES,
        names=display_names(report.coders if report else ()),
    )
    return render(request, "analysis/agreement.html", context)


@study_page(action=Action.VIEW_ANALYSIS)
def agreement_export_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    """The tables of the page's current choice as CSV (`table=`) or XLSX (`format=xlsx`)."""
    params = scope_parameters(request, agreement_choices(study=study))
    try:
        report = _report(request, study, role, params)
        data = AgreementReportSerializer(report).data
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(
                agreement_xlsx(data),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{study.slug}-agreement.xlsx"'
            return response
        table = check_table(request.GET.get("table"))
        response = HttpResponse(agreement_csv(data, table), content_type="text/csv; charset=utf-8")
    except DomainError as error:
        message = "; ".join(f"{field}: {text}" for field, text in error.detail.items())
        return HttpResponse(message, status=error.status_code, content_type="text/plain")
    response["Content-Disposition"] = f'attachment; filename="{study.slug}-agreement-{table}.csv"'
    return response
