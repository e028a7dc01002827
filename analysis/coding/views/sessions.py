"""Coding session pages: the study's sessions, a new session, one session's progress."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from analysis.coding.models import CodingSession, SessionMode
from analysis.coding.selectors.workspace import (
    coding_session_get,
    coding_sessions,
    session_choices,
    session_progress,
)
from analysis.coding.services.sessions import coding_session_close, coding_session_create
from dyads.exceptions import DomainError
from dyads.forms import ServiceForm, form_submit
from dyads.models import Role, Study
from dyads.permissions import Action, role_allows
from dyads.views import study_context, study_page


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class SessionForm(ServiceForm):
    name = forms.CharField(max_length=120, help_text="For example “Round 1: client interviews”.")
    mode = forms.ChoiceField(
        choices=SessionMode.choices,
        initial=SessionMode.BLIND,
        widget=forms.RadioSelect,
        help_text="Blind: each coder sees only their own codings until you close the session. "
        "Open: everyone sees everyone's codings as they are made.",
    )
    coders = PersonChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)
    transcripts = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        coders, transcripts = session_choices(study=study)
        self.fields["coders"].queryset = coders
        self.fields["transcripts"].queryset = transcripts
        self.fields["transcripts"].label_from_instance = lambda transcript: str(
            transcript.interview
        )

    def submit(self, *, actor, study: Study) -> CodingSession:
        return coding_session_create(actor=actor, study=study, **self.cleaned_data)


@study_page(action=Action.VIEW_ANALYSIS)
def session_list_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    context = study_context(
        study,
        role,
        sessions=coding_sessions(study=study, user=request.user),
        can_manage=role_allows(role, Action.MANAGE_STUDY),
    )
    return render(request, "analysis/session_list.html", context)


@study_page(action=Action.MANAGE_STUDY)
def session_create_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    form = SessionForm(request.POST or None, study=study)
    session = form_submit(form, actor=request.user, study=study)
    if session is not None:
        messages.success(request, f"Session “{session.name}” created.")
        return redirect("session-detail", study.slug, session.pk)
    return render(request, "analysis/session_form.html", study_context(study, role, form=form))


@study_page(action=Action.VIEW_ANALYSIS)
def session_detail_page(
    request: HttpRequest, study: Study, role: Role, session_id: int
) -> HttpResponse:
    session = coding_session_get(study=study, session_id=session_id)
    progress = session_progress(session=session)
    context = study_context(
        study,
        role,
        session=session,
        progress=progress,
        can_manage=role_allows(role, Action.MANAGE_STUDY),
    )
    return render(request, "analysis/session_detail.html", context)


@require_POST
@study_page(action=Action.MANAGE_STUDY)
def session_close_page(
    request: HttpRequest, study: Study, role: Role, session_id: int
) -> HttpResponse:
    session = coding_session_get(study=study, session_id=session_id)
    try:
        coding_session_close(actor=request.user, session=session)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Session “{session.name}” is closed; all codings are visible.")
    return redirect("session-detail", study.slug, session.pk)
