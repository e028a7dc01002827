"""The page on which an owner erases a participant who withdrew consent."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from analysis.exchange.services.erasure import ErasureReason, participant_erase
from dyads.exceptions import DomainError
from dyads.models import Participant, Role, Study
from dyads.permissions import Action
from dyads.views import study_context, study_page


class ErasureForm(forms.Form):
    pseudonym = forms.CharField(label="Type the participant's pseudonym to confirm", max_length=80)
    reason = forms.ChoiceField(choices=ErasureReason.choices)


@study_page(action=Action.ERASE_DATA)
@require_http_methods(["GET", "POST"])
def participant_erase_page(
    request: HttpRequest, study: Study, role: Role, participant_id: int
) -> HttpResponse:
    participant = Participant.objects.filter(
        study=study, pk=participant_id, erased_at__isnull=True
    ).first()
    if participant is None:
        raise Http404("No such participant in this study.")
    form = ErasureForm(request.POST or None)
    if form.is_valid():
        try:
            participant_erase(actor=request.user, participant=participant, **form.cleaned_data)
        except DomainError as error:
            for field, message in error.detail.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, f"{participant.pseudonym}'s data has been erased.")
            return redirect("study-overview", study.slug)
    context = study_context(study, role, participant=participant, form=form)
    return render(request, "analysis/participant_erase.html", context)
