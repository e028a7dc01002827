"""Pages of a transcript import: upload, preview with speaker roles, the job's progress,
and bulk import (many files matched to interviews by a file-name pattern)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dyads.exceptions import DomainError
from dyads.forms import form_submit
from dyads.models import Role, Study
from dyads.permissions import Action, role_allows
from dyads.views import study_context, study_page

from .forms import (
    BatchUploadForm,
    PatternForm,
    ProposalForm,
    ReplacementForm,
    SpeakerRolesForm,
    TranscriptUploadForm,
    form_errors_text,
)
from .matching import DEFAULT_PATTERN
from .selectors import (
    batch_get,
    batch_impacts,
    batch_jobs,
    batch_matches,
    import_preview,
    interview_get,
    job_get,
    upload_get,
)
from .services.batches import import_batch_confirm
from .services.imports import (
    error_message,
    import_job_create,
    import_upload_discard,
    import_upload_names_review,
)

importer_page = study_page(action=Action.IMPORT_TRANSCRIPTS)


@importer_page
def import_upload_page(
    request: HttpRequest, study: Study, role: Role, interview_id: int
) -> HttpResponse:
    interview = interview_get(study=study, interview_id=interview_id)
    form = TranscriptUploadForm(request.POST or None, request.FILES or None)
    upload = form_submit(form, actor=request.user, interview=interview)
    if upload is not None:
        return redirect("import-preview", study.slug, upload.pk)
    return render(
        request,
        "interviews/import_upload.html",
        study_context(study, role, interview=interview, form=form),
    )


def _upload(request: HttpRequest, study: Study, role: Role, upload_id: int):
    """The upload, for its uploader or for an owner (who reviews every upload's names)."""
    reviewer = role_allows(role, Action.MANAGE_PSEUDONYMS)
    return upload_get(study=study, user=request.user, upload_id=upload_id, reviewer=reviewer)


@importer_page
def import_preview_page(
    request: HttpRequest, study: Study, role: Role, upload_id: int
) -> HttpResponse:
    upload = _upload(request, study, role, upload_id)
    context = study_context(
        study,
        role,
        upload=upload,
        interview=upload.interview,
        can_manage_names=role_allows(role, Action.MANAGE_PSEUDONYMS),
    )
    try:
        preview = import_preview(upload=upload)
    except DomainError as error:
        return render(
            request, "interviews/import_preview.html", {**context, "error": error_message(error)}
        )
    data = request.POST if request.method == "POST" else None
    form = SpeakerRolesForm(
        data, labels=preview.prepared.labels, confirm_impact=bool(preview.impact)
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(actor=request.user, upload=upload, speaker_roles=form.roles())
            return redirect("import-job", study.slug, job.pk)
        except DomainError as error:
            form.add_error(None, error_message(error))
    return render(
        request, "interviews/import_preview.html", {**context, "preview": preview, "form": form}
    )


@require_POST
@importer_page
def import_name_add(request: HttpRequest, study: Study, role: Role, upload_id: int) -> HttpResponse:
    """A word of the preview onto the list (owners) or proposed for it (interviewers)."""
    upload = _upload(request, study, role, upload_id)
    owner = role_allows(role, Action.MANAGE_PSEUDONYMS)
    form = (ReplacementForm if owner else ProposalForm)(request.POST)
    done = form_submit(form, actor=request.user, study=study)
    if done is None:
        messages.error(request, form_errors_text(form))
    elif owner:
        messages.success(request, f"Added to the list: replaced with {done.replacement}.")
    else:
        messages.success(request, "Proposed: an owner will add it to the list or reject it.")
    return redirect("import-preview", study.slug, upload.pk)


@require_POST
@study_page(action=Action.MANAGE_PSEUDONYMS)
def import_names_review(
    request: HttpRequest, study: Study, role: Role, upload_id: int
) -> HttpResponse:
    upload = _upload(request, study, role, upload_id)
    try:
        import_upload_names_review(actor=request.user, upload=upload)
        messages.success(request, f"The names of {upload.file_name} are reviewed.")
    except DomainError as error:
        messages.error(request, error_message(error))
    return redirect("import-preview", study.slug, upload.pk)


@require_POST
@importer_page
def import_discard(request: HttpRequest, study: Study, role: Role, upload_id: int) -> HttpResponse:
    upload = _upload(request, study, role, upload_id)
    import_upload_discard(actor=request.user, upload=upload)
    messages.info(request, f"{upload.file_name} was discarded; nothing was imported.")
    return redirect("interview-detail", study.slug, upload.interview_id)


@study_page
def import_job_page(request: HttpRequest, study: Study, role: Role, job_id: int) -> HttpResponse:
    job = job_get(study=study, job_id=job_id)
    return render(request, "interviews/import_job.html", study_context(study, role, job=job))


@importer_page
def import_batch_upload_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    form = BatchUploadForm(request.POST or None, request.FILES or None)
    batch = form_submit(form, actor=request.user, study=study)
    if batch is not None:
        return redirect("import-batch", study.slug, batch.pk)
    return render(
        request, "interviews/import_batch_upload.html", study_context(study, role, form=form)
    )


@importer_page
def import_batch_page(
    request: HttpRequest, study: Study, role: Role, batch_id: int
) -> HttpResponse:
    """Before confirming: the files matched by the pattern. After: a summary of the jobs."""
    batch = batch_get(study=study, user=request.user, batch_id=batch_id)
    context = study_context(study, role, batch=batch)
    if batch.confirmed_at is not None:
        return render(
            request, "interviews/import_batch.html", {**context, "jobs": batch_jobs(batch=batch)}
        )
    form = PatternForm(request.POST or request.GET or {"pattern": DEFAULT_PATTERN})
    matches = []
    if form.is_valid():
        pattern = form.cleaned_data["pattern"]
        try:
            if request.method == "POST":
                import_batch_confirm(actor=request.user, batch=batch, pattern=pattern)
                return redirect("import-batch", study.slug, batch.pk)
            matches = batch_impacts(
                batch=batch, matches=batch_matches(batch=batch, pattern=pattern)
            )
        except DomainError as error:
            form.add_domain_error(error)
    return render(
        request,
        "interviews/import_batch.html",
        {**context, "form": form, "matches": matches},
    )
