"""The review queue of a corrected transcript: accept, adjust or remove each flagged coding."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from analysis.coding.models import Coding
from analysis.coding.selectors.reviews import review_queue
from analysis.coding.services.reviews import (
    coding_review_accept,
    coding_review_adjust,
    coding_review_remove,
)
from dyads.forms import ServiceForm, form_submit
from dyads.models import Role, Study
from dyads.permissions import Action
from dyads.views import study_context, study_page
from interviews.selectors import interview_get


class ReviewForm(ServiceForm):
    ACTIONS = {"accept": "accepted", "adjust": "adjusted", "remove": "removed"}

    action = forms.ChoiceField(choices=[(name, name) for name in ACTIONS])
    start = forms.IntegerField(required=False, min_value=0)
    end = forms.IntegerField(required=False, min_value=0)

    def clean(self):
        data = super().clean()
        if data.get("action") == "adjust" and (
            data.get("start") is None or data.get("end") is None
        ):
            raise forms.ValidationError("Give the new start and end to adjust the coding.")
        return data

    def submit(self, *, actor, coding: Coding) -> str:
        action = self.cleaned_data["action"]
        if action == "accept":
            coding_review_accept(actor=actor, coding=coding)
        elif action == "adjust":
            start, end = self.cleaned_data["start"], self.cleaned_data["end"]
            coding_review_adjust(actor=actor, coding=coding, start=start, end=end)
        else:
            coding_review_remove(actor=actor, coding=coding)
        return self.ACTIONS[action]


@study_page(action=Action.VIEW_ANALYSIS)
def review_queue_page(
    request: HttpRequest, study: Study, role: Role, interview_id: int
) -> HttpResponse:
    interview = interview_get(study=study, interview_id=interview_id)
    transcript = getattr(interview, "transcript", None)
    items = review_queue(user=request.user, transcript=transcript) if transcript else []
    failed_form = failed_coding = None
    if request.method == "POST":
        coding = get_object_or_404(
            Coding, pk=request.POST.get("coding", "0") or 0, revision__transcript=transcript
        )
        form = ReviewForm(request.POST)
        done = form_submit(form, actor=request.user, coding=coding)
        if done is not None:
            messages.success(request, f"The coding of “{coding.code}” was {done}.")
            return redirect("coding-review", study.slug, interview.pk)
        failed_form, failed_coding = form, coding.pk
    context = study_context(
        study,
        role,
        interview=interview,
        transcript=transcript,
        items=items,
        failed_form=failed_form,
        failed_coding=failed_coding,
    )
    return render(request, "analysis/coding_review.html", context)
