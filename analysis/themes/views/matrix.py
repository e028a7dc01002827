"""The dyad-aware pages: the dyad × constituent matrix, a cell's excerpts, the
dual-perspective view, convergence marks and waves."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from analysis.themes.models import ConvergenceMark, Theme, ThemeLevel
from analysis.themes.selectors.detail import study_meetings
from analysis.themes.selectors.dual import dual_perspective
from analysis.themes.selectors.matrix import SORTS, WAVE_LABELS, MatrixFilters, dyad_matrix
from analysis.themes.selectors.source import CodingSource
from analysis.themes.selectors.waves import study_waves
from analysis.themes.services.convergence import convergence_mark_clear, convergence_mark_set
from analysis.themes.views.theme_common import back_to, parse_id, read_query
from analysis.themes.views.theme_forms import ConvergenceForm
from dyads.exceptions import DomainError, NotFound
from dyads.models import Role, Study
from dyads.permissions import Action, role_allows
from dyads.selectors import dyad_get
from dyads.views import study_context, study_page


@study_page(action=Action.VIEW_ANALYSIS)
def matrix_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    filters = read_query(request, lambda: MatrixFilters.from_query(request.GET), MatrixFilters())
    context = study_context(
        study,
        role,
        matrix=dyad_matrix(user=request.user, study=study, filters=filters),
        cell_base=reverse("matrix", args=[study.slug]),
        sorts=[(key, label) for key, (label, _) in SORTS.items()],
        waves=list(WAVE_LABELS.items()),
        sources=list(CodingSource),
    )
    return render(request, "analysis/matrix.html", context)


def _source(request: HttpRequest) -> CodingSource:
    return read_query(request, lambda: CodingSource.from_query(request.GET), CodingSource.CONSENSUS)


def _perspectives(request: HttpRequest, study: Study, role: Role, **focus) -> dict:
    """What the cell and the dual-perspective pages show: both sides, and the forms."""
    view = dual_perspective(user=request.user, study=study, source=_source(request), **focus)
    mark = view.mark
    return study_context(
        study,
        role,
        view=view,
        can_edit=role_allows(role, Action.CODE),
        meetings=study_meetings(study=study),
        convergence_form=ConvergenceForm(
            initial={"verdict": mark.verdict, "note": mark.note, "version": mark.version}
            if mark
            else {}
        ),
        here=request.get_full_path(),
        sources=list(CodingSource),
    )


@study_page(action=Action.VIEW_ANALYSIS)
def matrix_cell_page(
    request: HttpRequest, study: Study, role: Role, dyad_id: int, theme_id: int
) -> HttpResponse:
    context = _perspectives(request, study, role, dyad_id=dyad_id, theme_id=theme_id)
    fragment = request.headers.get("X-Duet-Fragment") == "1"
    template = "analysis/matrix_cell_panel.html" if fragment else "analysis/matrix_cell.html"
    return render(request, template, context)


@study_page(action=Action.VIEW_ANALYSIS)
def dual_page(request: HttpRequest, study: Study, role: Role, dyad_id: int) -> HttpResponse:
    focus = read_query(
        request,
        lambda: {
            "theme_id": parse_id(request.GET.get("theme"), "theme"),
            "code_id": parse_id(request.GET.get("code"), "code"),
        },
        {},
    )
    context = _perspectives(request, study, role, dyad_id=dyad_id, **focus)
    return render(request, "analysis/dual.html", context)


@require_POST
@study_page(action=Action.CODE)
def convergence_page(
    request: HttpRequest, study: Study, role: Role, dyad_id: int, theme_id: int
) -> HttpResponse:
    dyad = dyad_get(study=study, dyad_id=dyad_id)
    theme = Theme.objects.filter(
        study=study, pk=theme_id, level=ThemeLevel.CONSTITUENT, retired_at__isnull=True
    ).first()
    if theme is None:
        raise NotFound("No such constituent theme in this study.")
    form = ConvergenceForm(request.POST)
    try:
        if "clear" in request.POST:
            mark = ConvergenceMark.objects.filter(
                dyad=dyad, theme=theme, cleared_at__isnull=True
            ).first()
            if mark is None:
                raise DomainError("There is no mark to clear.")
            convergence_mark_clear(
                actor=request.user,
                mark=mark,
                version=parse_id(request.POST.get("version"), "version"),
            )
            messages.success(request, f"Mark cleared for {dyad.label} × “{theme.name}”.")
        elif form.is_valid():
            convergence_mark_set(actor=request.user, dyad=dyad, theme=theme, **form.cleaned_data)
            messages.success(request, f"{dyad.label} × “{theme.name}” marked.")
        else:
            messages.error(
                request, "Choose whether the accounts converge, diverge or are one-sided."
            )
    except DomainError as error:
        messages.error(request, str(error))
    return back_to(request, reverse("matrix-cell", args=[study.slug, dyad.pk, theme.pk]))


@study_page(action=Action.VIEW_ANALYSIS)
def waves_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    source = _source(request)
    context = study_context(
        study,
        role,
        waves=study_waves(user=request.user, study=study, source=source),
        sources=list(CodingSource),
    )
    return render(request, "analysis/waves.html", context)
