"""The study's pseudonym list: owners see it, add to it (one by one or a CSV list) and remove from it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dyads.exceptions import NotFound
from dyads.forms import form_submit
from dyads.models import Role, Study
from dyads.permissions import Action
from dyads.views import study_context, study_page

from .forms import ReplacementForm, ReplacementListForm
from .selectors import study_replacements
from .services.pseudonyms import replacement_delete

owner_page = study_page(action=Action.MANAGE_PSEUDONYMS)


@owner_page
def pseudonyms_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    step = request.POST.get("step")
    form = ReplacementForm(request.POST if step == "add" else None)
    list_form = ReplacementListForm(
        request.POST if step == "import" else None, request.FILES if step == "import" else None
    )
    if form_submit(form, actor=request.user, study=study) is not None:
        return redirect("pseudonyms", study.slug)
    entries = form_submit(list_form, actor=request.user, study=study)
    if entries is not None:
        messages.success(request, f"{len(entries)} names from the list are now replaced.")
        return redirect("pseudonyms", study.slug)
    return render(
        request,
        "interviews/pseudonyms.html",
        study_context(
            study, role, entries=study_replacements(study=study), form=form, list_form=list_form
        ),
    )


@require_POST
@owner_page
def pseudonym_delete(request: HttpRequest, study: Study, role: Role, entry_id: int) -> HttpResponse:
    entry = study_replacements(study=study).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("No such entry on the list.")
    replacement_delete(actor=request.user, entry=entry)
    messages.info(request, f"Names are no longer replaced with {entry.replacement}.")
    return redirect("pseudonyms", study.slug)
