"""The Exchange page of a study: exports (REFI-QDA, spreadsheets, DOCX, backup) and
imports (REFI-QDA project or codebook, spreadsheet codebook) with a preview to confirm.

The page is server-rendered; static/js/exchange.js starts the jobs through the
API and follows them, so the page and the API share one set of services.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from analysis.exchange.models import ExchangeFormat
from analysis.exchange.selectors import code_paths, export_codes
from analysis.exchange.services.runner import recent_jobs
from analysis.exchange.services.transfers import EXPORT_FORMATS, IMPORT_FORMATS
from dyads.models import Role, Study
from dyads.permissions import Action, role_allows
from dyads.views import study_context, study_page


@study_page(action=Action.VIEW_ANALYSIS)
def exchange_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    codes = export_codes(study=study)
    paths = code_paths(codes)
    context = study_context(
        study,
        role,
        exports=[
            ExchangeFormat(f) for f, action in EXPORT_FORMATS.items() if role_allows(role, action)
        ],
        imports=[
            ExchangeFormat(f) for f, action in IMPORT_FORMATS.items() if role_allows(role, action)
        ],
        codes=sorted(paths.items(), key=lambda item: item[1]),
        jobs=recent_jobs(study=study, user=request.user),
    )
    return render(request, "analysis/exchange.html", context)
