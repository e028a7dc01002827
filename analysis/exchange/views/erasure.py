"""The page on which an owner erases a participant who withdrew consent."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from analysis.exchange.services.erasure import ErasureReason, participant_erase
from dyads.forms import ServiceForm, form_submit
from dyads.models import Participant, Role, Study
from dyads.permissions import Action
from dyads.views import study_context, study_page


class ErasureForm(ServiceForm):
    pseudonym = forms.CharField(label="Type the participant's pseudonym to confirm", max_length=80)
    reason = forms.ChoiceField(choices=ErasureReason.choices)

    def submit(self, *, actor, participant: Participant) -> dict[str, int]:
        return participant_erase(actor=actor, participant=participant, **self.cleaned_data)


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
    if form_submit(form, actor=request.user, participant=participant) is not None:
        messages.success(request, f"{participant.pseudonym}'s data has been erased.")
        return redirect("study-overview", study.slug)
    context = study_context(study, role, participant=participant, form=form)
    return render(request, "analysis/participant_erase.html", context)
