"""The reflexivity journal: one's own dated memos and everyone's shared ones."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from analysis.deliberation.selectors import journal_entries, journal_entry_get
from analysis.deliberation.services.journal import journal_entry_delete
from analysis.deliberation.views.meeting_forms import JournalForm
from dyads.forms import form_submit
from dyads.models import Role, Study
from dyads.permissions import Action
from dyads.views import study_context, study_page


@study_page(action=Action.KEEP_JOURNAL)
def journal_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    form = JournalForm(request.POST or None, study=study, initial={"date": timezone.localdate()})
    if request.method == "POST":
        entry = form_submit(form, actor=request.user)
        if entry is not None:
            messages.success(request, "Journal entry saved.")
            return redirect("journal", study.slug)
    context = study_context(
        study, role, form=form, entries=journal_entries(user=request.user, study=study)
    )
    return render(request, "analysis/journal.html", context, status=400 if form.errors else 200)


@study_page(action=Action.KEEP_JOURNAL)
def journal_entry_page(
    request: HttpRequest, study: Study, role: Role, entry_id: int
) -> HttpResponse:
    entry = journal_entry_get(user=request.user, study=study, entry_id=entry_id)
    form = JournalForm(request.POST or None, study=study, entry=entry)
    if request.method == "POST" and form_submit(form, actor=request.user) is not None:
        messages.success(request, "Journal entry saved.")
        return redirect("journal", study.slug)
    context = study_context(study, role, form=form, entry=entry)
    return render(
        request, "analysis/journal_entry.html", context, status=400 if form.errors else 200
    )


@require_POST
@study_page(action=Action.KEEP_JOURNAL)
def journal_entry_delete_page(
    request: HttpRequest, study: Study, role: Role, entry_id: int
) -> HttpResponse:
    entry = journal_entry_get(user=request.user, study=study, entry_id=entry_id)
    journal_entry_delete(actor=request.user, entry=entry, version=request.POST.get("version"))
    messages.success(request, "Journal entry removed.")
    return redirect("journal", study.slug)
