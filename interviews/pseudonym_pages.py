"""The study's pseudonym list: owners see it, add to it (one by one or a CSV list) and remove from it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dyads.exceptions import DomainError, NotFound
from dyads.models import Role, Study
from dyads.permissions import Action
from dyads.views import study_context, study_page

from .forms import ReplacementForm, ReplacementListForm
from .selectors import study_replacements
from .services.imports import error_message
from .services.pseudonyms import replacement_create, replacement_delete, replacements_import

owner_page = study_page(action=Action.MANAGE_PSEUDONYMS)


@owner_page
def pseudonyms_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    step = request.POST.get("step")
    form = ReplacementForm(request.POST if step == "add" else None)
    list_form = ReplacementListForm(
        request.POST if step == "import" else None, request.FILES if step == "import" else None
    )
    if step == "add" and form.is_valid():
        try:
            replacement_create(actor=request.user, study=study, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error_message(error))
        else:
            return redirect("pseudonyms", study.slug)
    if step == "import" and list_form.is_valid():
        try:
            text = list_form.cleaned_data["file"].read().decode("utf-8-sig")
            entries = replacements_import(actor=request.user, study=study, csv_text=text)
        except UnicodeDecodeError:
            list_form.add_error("file", "The list must be saved as UTF-8 text.")
        except DomainError as error:
            list_form.add_error("file", error_message(error))
        else:
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
