"""Pages of the study root: the user's studies, and the one helper every study page uses."""

import functools
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from . import services, twofactor
from .access import access_events
from .exceptions import DomainError, Forbidden, NotFound
from .forms import ServiceForm, form_submit
from .invitations import invitation_create, invitation_revoke
from .models import AccessAction, Invitation, Role, Study, StudyMembership
from .permissions import Action, study_access
from .selectors import open_invitations, studies_for_user, study_members

StudyView = Callable[..., HttpResponse]


def study_page(view: StudyView | None = None, /, *, action: Action = Action.VIEW_STUDY):
    """Make a view a page of one study: `view(request, study, role, **kwargs)`.

    The wrapped view takes the study's slug from the URL. The user must be
    signed in (else: the login page) and a member of the study (else: 404, so
    that study slugs do not leak); a role that may not do `action` gets 403.
    The same mapping applies to NotFound and Forbidden raised by the view's
    selectors, so an object of another study requested under this study's
    slug is a 404 too.
    """

    def decorate(view: StudyView) -> StudyView:
        @login_required
        @functools.wraps(view)
        def wrapper(request: HttpRequest, slug: str, **kwargs) -> HttpResponse:
            try:
                study, role = study_access(request.user, slug, action)
                return view(request, study, role, **kwargs)
            except NotFound as error:
                raise Http404(str(error)) from error
            except Forbidden as error:
                raise PermissionDenied(str(error)) from error

        return wrapper

    return decorate(view) if view is not None else decorate


def study_context(study: Study, role: Role, **context) -> dict:
    """The context every study page's template expects (the study and the user's role)."""
    return {"study": study, "role": role, **context}


@login_required
def study_list(request: HttpRequest) -> HttpResponse:
    memberships = list(studies_for_user(user=request.user))
    context = {
        "memberships": memberships,
        "prompt_2fa": twofactor.should_prompt(request.user, memberships),
    }
    return render(request, "dyads/study_list.html", context)


class InviteForm(ServiceForm):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices, initial=Role.ANALYST)

    def submit(self, *, actor, study: Study, site_url: str) -> Invitation:
        return invitation_create(actor=actor, study=study, site_url=site_url, **self.cleaned_data)


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@study_page(action=Action.MANAGE_STUDY)
@require_http_methods(["GET", "POST"])
def members_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    """Owners manage the study's members: invite by e-mail, change roles, remove, revoke."""
    form = InviteForm(request.POST if request.POST.get("step") == "invite" else None)
    try:
        done = _members_post(request, study, form)
    except DomainError as error:
        done = False
        messages.error(request, str(error))
    if done:
        return redirect("study-members", study.slug)
    context = study_context(
        study,
        role,
        form=form,
        members=study_members(study=study),
        invitations=open_invitations(study=study),
        roles=Role.choices,
    )
    return render(request, "dyads/members.html", context)


def _members_post(request: HttpRequest, study: Study, form: InviteForm) -> bool:
    """Carry out the posted step; True when it is done and the page should reload."""
    step = request.POST.get("step")
    if step == "invite":
        invitation = form_submit(form, actor=request.user, study=study, site_url=_site_url(request))
        if invitation is None:
            return False
        messages.success(request, f"An invitation was sent to {invitation.email}.")
        return True
    if step in ("role", "remove"):
        membership = get_object_or_404(
            StudyMembership, study=study, pk=request.POST.get("membership"), removed_at__isnull=True
        )
        if step == "role":
            services.membership_set(
                actor=request.user,
                study=study,
                username=membership.user.username,
                role=request.POST.get("role", ""),
            )
        else:
            services.membership_remove(actor=request.user, membership=membership)
        messages.success(request, "Membership updated.")
        return True
    if step == "revoke":
        invitation = get_object_or_404(Invitation, study=study, pk=request.POST.get("invitation"))
        invitation_revoke(actor=request.user, invitation=invitation)
        messages.success(request, f"The invitation to {invitation.email} was revoked.")
        return True
    return False


ACCESS_LOG_PAGE_SIZE = 100


@study_page(action=Action.VIEW_AUDIT)
def access_log_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    """Who read which transcript and exported what, newest first (owners and auditors)."""
    filters = {name: request.GET.get(name, "") for name in ("user", "action")}
    events = access_events(study=study, **filters)
    page = Paginator(events, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = study_context(study, role, page=page, filters=filters, actions=AccessAction.choices)
    return render(request, "dyads/access_log.html", context)
