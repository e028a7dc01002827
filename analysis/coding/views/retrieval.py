"""Retrieval pages: a code's excerpts across the study, and full-text search in transcripts."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from analysis.coding.excerpt_tables import excerpts_csv, excerpts_xlsx
from analysis.coding.models import Code, CodingSession
from analysis.coding.selectors.excerpts import code_excerpts
from analysis.coding.selectors.search import transcript_search
from dyads.models import Dyad, ParticipantRole, Role, Study
from dyads.permissions import Action
from dyads.views import study_context, study_page
from interviews.models import Interview

EXCERPTS_PER_PAGE = 100
HITS_PER_PAGE = 20


class ExcerptFilterForm(forms.Form):
    code = forms.ModelChoiceField(queryset=Code.objects.none(), empty_label="— pick a code —")
    include_subcodes = forms.BooleanField(required=False, label="With its sub-codes")
    role = forms.ChoiceField(
        choices=[("", "Therapists and clients"), *ParticipantRole.choices], required=False
    )
    dyad = forms.ModelChoiceField(
        queryset=Dyad.objects.none(), required=False, empty_label="All dyads"
    )
    interview = forms.ModelChoiceField(
        queryset=Interview.objects.none(), required=False, empty_label="All interviews"
    )
    coder = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="All coders",
        to_field_name="username",
    )
    session = forms.ModelChoiceField(
        queryset=CodingSession.objects.none(), required=False, empty_label="All sessions"
    )

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].queryset = Code.objects.filter(
            study=study, retired_at__isnull=True
        ).order_by("name")
        self.fields["dyad"].queryset = Dyad.objects.filter(study=study, deleted_at__isnull=True)
        self.fields["interview"].queryset = Interview.objects.filter(
            study=study, deleted_at__isnull=True, transcript__isnull=False
        ).select_related("participant")
        self.fields["coder"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__study=study,
                memberships__removed_at__isnull=True,
                memberships__role__in=[Role.OWNER, Role.ANALYST],
            )
            .order_by("username")
        )
        self.fields["session"].queryset = CodingSession.objects.filter(study=study)

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "include_subcodes": data["include_subcodes"],
            "role": data["role"] or None,
            "dyad": data["dyad"].pk if data["dyad"] else None,
            "interview": data["interview"].pk if data["interview"] else None,
            "coder": data["coder"].username if data["coder"] else None,
            "session": data["session"].pk if data["session"] else None,
        }


class SearchForm(forms.Form):
    q = forms.CharField(
        max_length=500,
        label="Search the transcripts",
        help_text='Words must all occur; "a phrase" in quotes; -word leaves out transcripts with it.',
    )


@study_page(action=Action.VIEW_ANALYSIS)
def retrieval_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    """Pick a code and filters: its excerpts with context, speaker, dyad, interview, coder."""
    form = ExcerptFilterForm(request.GET or None, study=study)
    page = None
    if form.is_bound and form.is_valid():
        excerpts = code_excerpts(
            user=request.user, code=form.cleaned_data["code"], **form.filters()
        )
        page = Paginator(excerpts, EXCERPTS_PER_PAGE).get_page(request.GET.get("page"))
    context = study_context(
        study,
        role,
        form=form,
        page=page,
        search_form=SearchForm(),
        query=_query_without_page(request),
    )
    return render(request, "analysis/retrieval.html", context, status=400 if form.errors else 200)


DOWNLOADS = {
    "csv": (excerpts_csv, "text/csv; charset=utf-8"),
    "xlsx": (excerpts_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@study_page(action=Action.VIEW_ANALYSIS)
def excerpts_download(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    """Every excerpt the page's filters select, as CSV or XLSX (`format=`)."""
    form = ExcerptFilterForm(request.GET, study=study)
    kind = request.GET.get("format", "csv")
    if kind not in DOWNLOADS:
        return HttpResponse(
            f"format: Unknown format '{kind}': use csv or xlsx.",
            status=400,
            content_type="text/plain",
        )
    if not form.is_valid():
        message = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
        return HttpResponse(message, status=400, content_type="text/plain")
    code = form.cleaned_data["code"]
    write, content_type = DOWNLOADS[kind]
    response = HttpResponse(
        write(code_excerpts(user=request.user, code=code, **form.filters())),
        content_type=content_type,
    )
    name = f"{study.slug}-excerpts-{slugify(code.name) or code.pk}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@study_page(action=Action.VIEW_ANALYSIS)
def search_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    """Full-text search in the study's current transcripts, matches highlighted."""
    form = SearchForm(request.GET or None)
    results, pages = None, None
    if form.is_bound and form.is_valid():
        number = _page_number(request.GET.get("page"))
        results = transcript_search(
            study=study,
            query=form.cleaned_data["q"],
            offset=(number - 1) * HITS_PER_PAGE,
            limit=HITS_PER_PAGE,
        )
        pages = Paginator(range(results.transcripts), HITS_PER_PAGE).get_page(number)
    context = study_context(
        study,
        role,
        search_form=form,
        results=results,
        pages=pages,
        query=_query_without_page(request),
    )
    return render(
        request, "analysis/retrieval_search.html", context, status=400 if form.errors else 200
    )


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
