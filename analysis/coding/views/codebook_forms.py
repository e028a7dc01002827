"""The forms of the codebook pages. Each one's `submit` calls one service and says what it did."""

from django import forms

from analysis.coding.models import Code, Memo
from analysis.coding.selectors.codebook import MergePreview, code_merge_preview, next_code_colour
from analysis.coding.selectors.excerpts import Excerpt
from analysis.coding.services import codebook, memos
from analysis.deliberation.views.decision_forms import DecisionForm
from dyads.exceptions import Conflict, DomainError
from dyads.forms import ServiceForm
from dyads.models import Study


def active_codes(study: Study, *, but: Code | None = None):
    codes = Code.objects.filter(study=study, retired_at__isnull=True).order_by("name")
    return codes.exclude(pk=but.pk) if but is not None else codes


class VersionedForm(ServiceForm):
    """A form that edits a versioned object; a stale edit shows the object as it is now."""

    conflict: dict | None = None
    version = forms.IntegerField(widget=forms.HiddenInput)

    def add_domain_error(self, error: DomainError) -> None:
        if not isinstance(error, Conflict):
            super().add_domain_error(error)
            return
        self.add_error(None, f"{error.detail['detail']} Your changes were not saved.")
        self.conflict = error.current
        data = self.data.copy()
        data[self.add_prefix("version")] = error.current["version"]
        self.data = data


class CodeFieldsForm(DecisionForm):
    name = forms.CharField(max_length=120)
    colour = forms.CharField(
        max_length=7, initial="#4e79a7", widget=forms.TextInput(attrs={"type": "color"})
    )
    definition = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    inclusion_criteria = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Include when"
    )
    exclusion_criteria = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Exclude when"
    )
    example = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = [
        "name",
        "parent",
        "colour",
        "definition",
        "inclusion_criteria",
        "exclusion_criteria",
        "example",
    ]


class CodeCreateForm(CodeFieldsForm):
    parent = forms.ModelChoiceField(
        queryset=Code.objects.none(), required=False, empty_label="— top level —", label="Under"
    )

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, study=study, **kwargs)
        self.fields["parent"].queryset = active_codes(study)
        self.fields["colour"].initial = next_code_colour(study)

    def submit(self, *, actor, study: Study, code=None) -> tuple[str, Code]:
        created = codebook.code_create(actor=actor, study=study, **self.cleaned_data)
        return f"Code “{created.name}” created.", created


CODE_INITIAL = ["version", "parent", "name", "colour", *sorted(codebook.CODE_TEXT_FIELDS)]


class CodeChangeForm(VersionedForm, DecisionForm):
    """A change to one code; unbound, it starts from the code as it is."""

    def __init__(self, *args, study: Study, code: Code, excerpts: list[Excerpt], **kwargs):
        kwargs.setdefault("initial", {f: getattr(code, f) for f in CODE_INITIAL})
        super().__init__(*args, study=study, **kwargs)
        self.code = code
        self.excerpts = excerpts


class CodeEditForm(CodeChangeForm, CodeFieldsForm):
    heading, button = "Edit name, colour, definition and criteria", "Save"

    def submit(self, *, actor, study: Study, code: Code) -> tuple[str, Code]:
        code = codebook.code_update(actor=actor, code=code, **self.cleaned_data)
        return f"Code “{code.name}” saved.", code


class CodeMoveForm(CodeChangeForm):
    heading, button = "Move under…", "Move"
    parent = forms.ModelChoiceField(
        queryset=Code.objects.none(),
        required=False,
        empty_label="— top level —",
        label="Move under",
    )
    field_order = ["parent"]

    def __init__(self, *args, study: Study, code: Code, **kwargs):
        super().__init__(*args, study=study, code=code, **kwargs)
        self.fields["parent"].queryset = active_codes(study, but=code)

    def submit(self, *, actor, study: Study, code: Code) -> tuple[str, Code]:
        code = codebook.code_move(actor=actor, code=code, **self.cleaned_data)
        where = f"under “{code.parent}”" if code.parent else "to the top level"
        return f"Code “{code.name}” moved {where}.", code


class CodeMergeForm(CodeChangeForm):
    """Two steps: the first submit shows what the merge would do, the second merges."""

    heading, button = "Merge into another code…", "Preview the merge"
    into = forms.ModelChoiceField(
        queryset=Code.objects.none(),
        label="Merge into",
        help_text="Its codings, memos and sub-codes move there; this code is retired.",
    )
    # The code the shown preview merges into: confirming merges into that one only.
    confirm = forms.IntegerField(required=False, widget=forms.HiddenInput)
    field_order = ["into"]
    preview: MergePreview | None = None

    def __init__(self, *args, study: Study, code: Code, **kwargs):
        super().__init__(*args, study=study, code=code, **kwargs)
        self.fields["into"].queryset = active_codes(study, but=code)

    def submit(self, *, actor, study: Study, code: Code) -> tuple[str, Code] | None:
        data = dict(self.cleaned_data)
        if data.pop("confirm") != data["into"].pk:
            self.preview = code_merge_preview(code=code, into=data["into"])
            self.button = "Confirm the merge"
            self.data = self.data.copy()
            self.data[self.add_prefix("confirm")] = str(data["into"].pk)
            return None
        survivor = codebook.code_merge(actor=actor, code=code, **data)
        return f"Code “{code.name}” merged into “{survivor.name}”.", survivor


class CodeSplitForm(CodeChangeForm):
    """Up to four new codes; each visible coding goes to one of them (or stays)."""

    heading, button = "Split into new codes…", "Split"
    PARTS = 4
    retire_original = forms.BooleanField(
        required=False,
        initial=True,
        label="Retire this code",
        help_text="Then every coding must go to a new code.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, self.PARTS + 1):
            self.fields[f"part_{number}"] = forms.CharField(
                max_length=120, required=number <= 2, label=f"New code {number}"
            )
        choices = [("", "— stays —"), *((str(n), f"New code {n}") for n in range(1, 5))]
        for excerpt in self.excerpts:
            self.fields[f"coding_{excerpt.coding}"] = forms.ChoiceField(
                choices=choices, required=False, label=excerpt.text
            )

    def part_fields(self):
        return [self[f"part_{number}"] for number in range(1, self.PARTS + 1)]

    def coding_fields(self):
        return [(excerpt, self[f"coding_{excerpt.coding}"]) for excerpt in self.excerpts]

    def clean(self):
        data = super().clean()
        self.parts = {
            str(number): {"name": data[f"part_{number}"], "codings": []}
            for number in range(1, self.PARTS + 1)
            if data.get(f"part_{number}")
        }
        for excerpt in self.excerpts:
            chosen = data.get(f"coding_{excerpt.coding}")
            if chosen and chosen not in self.parts:
                self.add_error(f"coding_{excerpt.coding}", f"New code {chosen} has no name.")
            elif chosen:
                self.parts[chosen]["codings"].append(excerpt.coding)
        return data

    def submit(self, *, actor, study: Study, code: Code) -> tuple[str, Code]:
        data = self.cleaned_data
        new_codes = codebook.code_split(
            actor=actor,
            code=code,
            parts=list(self.parts.values()),
            retire_original=data["retire_original"],
            version=data["version"],
            meeting=data["meeting"],
            rationale=data["rationale"],
        )
        names = ", ".join(f"“{new.name}”" for new in new_codes)
        return f"Code “{code.name}” split into {names}.", new_codes[0]


class CodeRetireForm(CodeChangeForm):
    heading, button = "Retire…", "Retire"

    def submit(self, *, actor, study: Study, code: Code) -> tuple[str, Code]:
        code = codebook.code_retire(actor=actor, code=code, **self.cleaned_data)
        return f"Code “{code.name}” retired.", code


class MemoForm(ServiceForm):
    heading, button = "Add a memo", "Add memo"
    title = forms.CharField(max_length=200, required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, study: Study, code: Code, excerpts: list[Excerpt], **kwargs):
        super().__init__(*args, **kwargs)

    def submit(self, *, actor, study: Study, code: Code) -> tuple[str, Code]:
        memos.memo_create(actor=actor, study=study, code=code, **self.cleaned_data)
        return "Memo added.", code


class MemoEditForm(VersionedForm):
    title = forms.CharField(max_length=200, required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def submit(self, *, actor, memo: Memo) -> str:
        memos.memo_update(actor=actor, memo=memo, **self.cleaned_data)
        return "Memo saved."


class MemoDeleteForm(VersionedForm):
    def submit(self, *, actor, memo: Memo) -> str:
        memos.memo_delete(actor=actor, memo=memo, **self.cleaned_data)
        return "Memo removed."


# The forms of a code's page, by the name in its URL.
CODE_FORMS = {
    "edit": CodeEditForm,
    "move": CodeMoveForm,
    "merge": CodeMergeForm,
    "split": CodeSplitForm,
    "retire": CodeRetireForm,
    "memo": MemoForm,
}
MEMO_FORMS = {"edit": MemoEditForm, "delete": MemoDeleteForm}
