"""Pages of the study root: the user's studies, and the one helper every study page uses."""

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .exceptions import Forbidden, NotFound
from .models import Role, Study
from .permissions import Action, study_access
from .selectors import studies_for_user

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
    memberships = studies_for_user(user=request.user)
    return render(request, "dyads/study_list.html", {"memberships": memberships})
