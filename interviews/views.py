"""Study pages that show interviews: the study overview, a dyad, an interview.

The study overview lives here rather than in dyads/ because it lists the
study's interviews, and dyads/ must not depend on interviews/.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dyads.access import access_log_record
from dyads.models import AccessAction, Role, Study
from dyads.permissions import Action, role_allows
from dyads.views import study_context, study_page

from .forms import AudioForm
from .selectors import dyad_detail, interview_detail, interview_imports, study_overview


@study_page
def study_overview_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    overview = study_overview(study=study)
    return render(
        request, "interviews/study_overview.html", study_context(study, role, overview=overview)
    )


@study_page
def dyad_page(request: HttpRequest, study: Study, role: Role, dyad_id: int) -> HttpResponse:
    detail = dyad_detail(study=study, dyad_id=dyad_id)
    return render(request, "interviews/dyad_detail.html", study_context(study, role, detail=detail))


@study_page
def interview_page(
    request: HttpRequest, study: Study, role: Role, interview_id: int
) -> HttpResponse:
    detail = interview_detail(study=study, interview_id=interview_id)
    if detail.revision is not None:
        access_log_record(
            user=request.user,
            study=study,
            action=AccessAction.READ_TRANSCRIPT,
            object_type="interviews.transcript",
            object_id=detail.revision.transcript_id,
            request=request,
        )
    can_import = role_allows(role, Action.IMPORT_TRANSCRIPTS)
    return render(
        request,
        "interviews/interview_detail.html",
        study_context(
            study,
            role,
            detail=detail,
            can_import=can_import,
            can_attach_audio=role_allows(role, Action.MANAGE_INTERVIEWS),
            imports=interview_imports(interview=detail.interview) if can_import else [],
            audio_form=AudioForm(),
        ),
    )
