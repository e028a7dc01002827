"""The page on which an owner redacts words found in a transcript after its import."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from analysis.exchange.services.redaction import (
    DEFAULT_REPLACEMENT,
    RedactionResult,
    transcript_redact,
)
from dyads.forms import ServiceForm, form_submit
from dyads.models import Role, Study
from dyads.permissions import Action
from dyads.views import study_context, study_page
from interviews.models import Transcript


class RedactionForm(ServiceForm):
    text = forms.CharField(
        label="Words to redact",
        max_length=500,
        strip=False,
        help_text="Exactly as they appear in the transcript, letter case included.",
    )
    replacement = forms.CharField(
        label="Replace them with", max_length=200, initial=DEFAULT_REPLACEMENT
    )

    def submit(self, *, actor, transcript: Transcript) -> RedactionResult:
        return transcript_redact(actor=actor, transcript=transcript, **self.cleaned_data)


@study_page(action=Action.ERASE_DATA)
@require_http_methods(["GET", "POST"])
def transcript_redact_page(
    request: HttpRequest, study: Study, role: Role, interview_id: int
) -> HttpResponse:
    transcript = (
        Transcript.objects.select_related("interview__participant")
        .filter(interview__study=study, interview_id=interview_id, interview__deleted_at=None)
        .first()
    )
    if transcript is None:
        raise Http404("This interview has no transcript.")
    form = RedactionForm(request.POST or None)
    result = form_submit(form, actor=request.user, transcript=transcript)
    if result is not None:
        messages.success(
            request,
            f"Redacted {result.occurrences} occurrence(s) in {result.revisions} revision(s); "
            f"{result.exchange_files} export file(s) removed.",
        )
        return redirect("interview-detail", study.slug, interview_id)
    context = study_context(study, role, transcript=transcript, form=form)
    return render(request, "analysis/transcript_redact.html", context)
