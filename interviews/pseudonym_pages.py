"""The study's pseudonym list: owners see it, add to it (one by one or a CSV list), remove
from it, decide on proposed names and find the uploads whose names wait for their review;
interviewers read it and propose names for it."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dyads.exceptions import NotFound
from dyads.forms import form_submit
from dyads.models import Role, Study
from dyads.permissions import Action, role_allows
from dyads.views import study_context, study_page

from .forms import (
    ProposalAcceptForm,
    ProposalForm,
    ReplacementForm,
    ReplacementListForm,
    form_errors_text,
)
from .selectors import pseudonym_proposals, study_replacements, uploads_awaiting_review
from .services.pseudonyms import proposal_reject, replacement_delete

owner_page = study_page(action=Action.MANAGE_PSEUDONYMS)


@study_page(action=Action.VIEW_PSEUDONYMS)
def pseudonyms_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    owner = role_allows(role, Action.MANAGE_PSEUDONYMS)
    step = request.POST.get("step")
    form = (ReplacementForm if owner else ProposalForm)(
        request.POST if step in ("add", "propose") else None
    )
    list_form = ReplacementListForm(
        request.POST if step == "import" else None, request.FILES if step == "import" else None
    )
    if form_submit(form, actor=request.user, study=study) is not None:
        if not owner:
            messages.success(request, "Proposed: an owner will add it to the list or reject it.")
        return redirect("pseudonyms", study.slug)
    entries = form_submit(list_form, actor=request.user, study=study)
    if entries is not None:
        messages.success(request, f"{len(entries)} names from the list are now replaced.")
        return redirect("pseudonyms", study.slug)
    proposals = pseudonym_proposals(study=study, user=None if owner else request.user)
    context = study_context(
        study,
        role,
        owner=owner,
        entries=study_replacements(study=study),
        form=form,
        list_form=list_form,
        proposals=proposals,
        accept_form=ProposalAcceptForm(),
        awaiting_review=uploads_awaiting_review(study=study) if owner else [],
    )
    return render(request, "interviews/pseudonyms.html", context)


@require_POST
@owner_page
def proposal_decide(
    request: HttpRequest, study: Study, role: Role, proposal_id: int, decision: str
) -> HttpResponse:
    proposal = pseudonym_proposals(study=study).filter(pk=proposal_id).first()
    if proposal is None or decision not in ("accept", "reject"):
        raise Http404("No such open proposal.")
    if decision == "reject":
        proposal_reject(actor=request.user, proposal=proposal)
        messages.info(request, "The proposal was rejected.")
        return redirect("pseudonyms", study.slug)
    form = ProposalAcceptForm(request.POST)
    entry = form_submit(form, actor=request.user, proposal=proposal)
    if entry is None:
        messages.error(request, form_errors_text(form))
    else:
        messages.success(request, f"Added to the list: replaced with {entry.replacement}.")
    return redirect("pseudonyms", study.slug)


@require_POST
@owner_page
def pseudonym_delete(request: HttpRequest, study: Study, role: Role, entry_id: int) -> HttpResponse:
    entry = study_replacements(study=study).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("No such entry on the list.")
    replacement_delete(actor=request.user, entry=entry)
    messages.info(request, f"Names are no longer replaced with {entry.replacement}.")
    return redirect("pseudonyms", study.slug)
