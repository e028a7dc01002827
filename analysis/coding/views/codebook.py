"""The codebook pages: the study's code tree, and one code with the forms that change it.

Analysts and owners change the codebook; auditors read it; interviewers do not
see it (403). Every change asks for the meeting where it was agreed or a
rationale, and a stale one (someone changed the code meanwhile) is shown with
the code as it is now.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from analysis.coding.models import Memo
from analysis.coding.selectors.codebook import CodeDetail, code_detail, codebook
from analysis.coding.views.codebook_forms import (
    CODE_FORMS,
    MEMO_FORMS,
    CodeCreateForm,
    VersionedForm,
)
from analysis.deliberation.views.decision_forms import DecisionForm
from dyads.forms import form_submit
from dyads.models import Role, Study
from dyads.permissions import Action, role_allows
from dyads.views import study_context, study_page


def _may_edit(role: Role) -> bool:
    return role_allows(role, Action.CODE)


def _render_codebook(request, study: Study, role: Role, form: CodeCreateForm, status: int = 200):
    context = study_context(
        study,
        role,
        codebook=codebook(user=request.user, study=study),
        form=form,
        move_form=DecisionForm(study=study, prefix="move"),
        can_edit=_may_edit(role),
    )
    return render(request, "analysis/codebook.html", context, status=status)


@study_page(action=Action.VIEW_ANALYSIS)
def codebook_page(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    """The tree; analysts and owners also get the form for a new code, and drag and drop."""
    return _render_codebook(request, study, role, CodeCreateForm(study=study))


@require_POST
@study_page(action=Action.CODE)
def code_create(request: HttpRequest, study: Study, role: Role) -> HttpResponse:
    form = CodeCreateForm(request.POST, study=study)
    done = form_submit(form, actor=request.user, study=study)
    if done is None:
        return _render_codebook(request, study, role, form, status=400)
    message, code = done
    messages.success(request, message)
    return redirect(reverse("codebook", args=[study.slug]) + f"#code-{code.pk}")


def _code_forms(study: Study, detail: CodeDetail) -> dict:
    return {
        name: form_class(study=study, code=detail.code, excerpts=detail.excerpts, prefix=name)
        for name, form_class in CODE_FORMS.items()
    }


def _memo_form(memo: Memo) -> VersionedForm:
    return MEMO_FORMS["edit"](
        initial={"title": memo.title, "text": memo.text, "version": memo.version},
        prefix=f"memo-{memo.pk}",
    )


def _render_code(request, study, role, detail: CodeDetail, forms: dict, status: int = 200):
    context = study_context(
        study,
        role,
        detail=detail,
        forms=forms,
        can_edit=_may_edit(role) and detail.code.retired_at is None,
        memos=[(memo, _memo_form(memo)) for memo in detail.memos],
    )
    return render(request, "analysis/codebook_code.html", context, status=status)


@study_page(action=Action.VIEW_ANALYSIS)
def code_page(request: HttpRequest, study: Study, role: Role, code_id: int) -> HttpResponse:
    detail = code_detail(user=request.user, study=study, code_id=code_id)
    return _render_code(request, study, role, detail, _code_forms(study, detail))


@require_POST
@study_page(action=Action.CODE)
def code_change(
    request: HttpRequest, study: Study, role: Role, code_id: int, change: str
) -> HttpResponse:
    """Edit, move, merge, split or retire the code, or add a memo to it."""
    if change not in CODE_FORMS:
        raise Http404("No such change.")
    detail = code_detail(user=request.user, study=study, code_id=code_id)
    forms = _code_forms(study, detail)
    form = CODE_FORMS[change](
        request.POST, study=study, code=detail.code, excerpts=detail.excerpts, prefix=change
    )
    done = form_submit(form, actor=request.user, study=study, code=detail.code)
    if done is not None:
        message, code = done
        messages.success(request, message)
        return redirect("codebook-code", study.slug, code.pk)
    forms[change] = form
    if getattr(form, "preview", None):  # a merge shown before it is confirmed
        return _render_code(request, study, role, detail, forms)
    status = 409 if getattr(form, "conflict", None) else 400
    return _render_code(request, study, role, detail, forms, status=status)


@require_POST
@study_page(action=Action.CODE)
def memo_change(
    request: HttpRequest, study: Study, role: Role, code_id: int, memo_id: int, change: str
) -> HttpResponse:
    """Edit or remove a memo of the code (its author, or an owner)."""
    if change not in MEMO_FORMS:
        raise Http404("No such change.")
    memo = get_object_or_404(Memo, study=study, code_id=code_id, pk=memo_id, deleted_at=None)
    form = MEMO_FORMS[change](request.POST, prefix=f"memo-{memo.pk}")
    done = form_submit(form, actor=request.user, memo=memo)
    if done is not None:
        messages.success(request, done)
    else:
        errors = " ".join(" ".join(e) for e in form.errors.values())
        messages.error(request, errors)
    return redirect(reverse("codebook-code", args=[study.slug, code_id]) + f"#memo-{memo.pk}")
