"""Theme pages: the hierarchy, one theme (edit, retire) and its exemplary quotes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from analysis.coding.models import Coding
from analysis.deliberation.views.decision_forms import DecisionForm
from analysis.themes.models import ExemplaryQuote, Theme
from analysis.themes.selectors.detail import study_meetings, theme_detail
from analysis.themes.selectors.tree import theme_tree
from analysis.themes.services.themes import theme_quote_add, theme_quote_remove, theme_retire
from analysis.themes.views.theme_common import back_to
from analysis.themes.views.theme_forms import QuoteForm, RetireForm, ThemeForm
from dyads.exceptions import DomainError, NotFound
from dyads.forms import form_submit
from dyads.models import Role, Study
from dyads.permissions import Action, role_allows
from dyads.views import study_context, study_page


def _theme(study: Study, theme_id: int) -> Theme:
    theme = Theme.objects.filter(study=study, pk=theme_id, retired_at__isnull=True).first()
    if theme is None:
        raise NotFound("No such theme in this study.")
    return theme


@study_page(action=Action.VIEW_ANALYSIS)
def theme_list_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    can_edit = _may_edit(request, role)
    form = ThemeForm(request.POST or None, study=study)
    theme = form_submit(form, actor=request.user)
    if theme is not None:
        messages.success(request, f"Theme “{theme.name}” created.")
        return redirect("theme-detail", study.slug, theme.pk)
    context = study_context(study, role, tree=theme_tree(study=study), form=form, can_edit=can_edit)
    return render(request, "analysis/theme_list.html", context, status=400 if form.errors else 200)


@study_page(action=Action.VIEW_ANALYSIS)
def theme_detail_page(
    request: HttpRequest, study: Study, role: Role, theme_id: int
) -> HttpResponse:
    detail = theme_detail(study=study, theme_id=theme_id)
    theme = detail.theme
    can_edit = _may_edit(request, role)
    initial = {
        "name": theme.name,
        "parent": theme.parent_id,
        "description": theme.description,
        "client_description": theme.client_description,
        "therapist_description": theme.therapist_description,
        "codes": [code.pk for code in detail.codes],
        "version": theme.version,
    }
    form = ThemeForm(request.POST or None, study=study, theme=theme, initial=initial)
    if form_submit(form, actor=request.user) is not None:
        messages.success(request, f"Theme “{form.cleaned_data['name']}” saved.")
        return redirect("theme-detail", study.slug, theme.pk)
    context = study_context(
        study,
        role,
        detail=detail,
        form=form,
        retire_form=RetireForm(study=study, initial={"version": theme.version}),
        meetings=study_meetings(study=study),
        can_edit=can_edit,
    )
    return render(
        request, "analysis/theme_detail.html", context, status=400 if form.errors else 200
    )


@require_POST
@study_page(action=Action.CODE)
def theme_retire_page(
    request: HttpRequest, study: Study, role: Role, theme_id: int
) -> HttpResponse:
    theme = _theme(study, theme_id)
    decision = _decision(request, study, RetireForm)
    if decision is None:
        return redirect("theme-detail", study.slug, theme.pk)
    try:
        theme_retire(actor=request.user, theme=theme, **decision)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("theme-detail", study.slug, theme.pk)
    messages.success(request, f"Theme “{theme.name}” retired.")
    return redirect("theme-list", study.slug)


@require_POST
@study_page(action=Action.CODE)
def quote_add_page(request: HttpRequest, study: Study, role: Role, theme_id: int) -> HttpResponse:
    theme = _theme(study, theme_id)
    form = QuoteForm(request.POST, study=study)
    if not form.is_valid():
        messages.error(request, "Choose an excerpt to quote.")
        return back_to(request, theme_url(study, theme))
    coding = Coding.objects.filter(study=study, pk=form.cleaned_data.pop("coding")).first()
    if coding is None:
        raise NotFound("No such excerpt in this study.")
    try:
        theme_quote_add(actor=request.user, theme=theme, coding=coding, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The excerpt is now an exemplary quote of “{theme.name}”.")
    return back_to(request, theme_url(study, theme))


@require_POST
@study_page(action=Action.CODE)
def quote_remove_page(
    request: HttpRequest, study: Study, role: Role, quote_id: int
) -> HttpResponse:
    quote = ExemplaryQuote.objects.filter(study=study, pk=quote_id).select_related("theme").first()
    if quote is None:
        raise NotFound("No such quote in this study.")
    decision = _decision(request, study)
    if decision is None:
        return back_to(request, theme_url(study, quote.theme))
    try:
        theme_quote_remove(actor=request.user, quote=quote, **decision)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The quote was withdrawn.")
    return back_to(request, theme_url(study, quote.theme))


def _may_edit(request: HttpRequest, role: Role) -> bool:
    """Whether the member may change themes; a change posted by one who may not is refused."""
    allowed = role_allows(role, Action.CODE)
    if request.method == "POST" and not allowed:
        raise PermissionDenied(f"A {role.label.lower()} may not change themes.")
    return allowed


def theme_url(study: Study, theme: Theme) -> str:
    return reverse("theme-detail", args=[study.slug, theme.pk])


def _decision(request: HttpRequest, study: Study, form_class=DecisionForm) -> dict | None:
    """The meeting and rationale of a posted decision; None (with a message) if invalid."""
    form = form_class(request.POST, study=study)
    if form.is_valid():
        return form.cleaned_data
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return None
