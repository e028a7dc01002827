"""Forms of the import, pseudonym and audio pages. They translate input and submit it to one
service; services validate, and a service's error is shown on the form's one input."""

from django import forms
from django.core.files.uploadedfile import UploadedFile

from dyads.exceptions import DomainError
from dyads.forms import NON_FIELD_ERRORS, ServiceForm
from dyads.models import Study
from dyads.uploads import max_upload_bytes

from .matching import DEFAULT_PATTERN
from .models import (
    ImportBatch,
    ImportUpload,
    Interview,
    PseudonymProposal,
    PseudonymReplacement,
)
from .parsers import FORMATS
from .pipeline import SpeakerLabel
from .roles import ROLE_CHOICES
from .services.batches import import_batch_create
from .services.imports import import_upload_create
from .services.pseudonyms import (
    proposal_accept,
    proposal_create,
    replacement_create,
    replacements_import,
)

TRANSCRIPT_ACCEPT = ",".join(f".{fmt}" for fmt in FORMATS)
AUDIO_ACCEPT = ".mp3,.m4a,.wav,.ogg"


def check_size(file: UploadedFile) -> UploadedFile:
    """Refuse an oversized file before reading it into memory."""
    if file.size > max_upload_bytes():
        limit = max_upload_bytes() // (1024 * 1024)
        raise forms.ValidationError(f"{file.name}: larger than the limit of {limit} MB.")
    return file


class OneFileForm(ServiceForm):
    """A form of one `file` field, refused over the upload limit before it is read."""

    domain_errors_on = "file"

    def clean_file(self) -> UploadedFile:
        return check_size(self.cleaned_data["file"])


class TranscriptUploadForm(OneFileForm):
    # An empty file is refused by the reader, with the file's name in the message.
    file = forms.FileField(
        allow_empty_file=True,
        label="Transcript file",
        help_text="A .txt, .docx, .odt, .rtf, .pdf, .vtt or .srt file.",
        widget=forms.ClearableFileInput(attrs={"accept": TRANSCRIPT_ACCEPT}),
    )

    def submit(self, *, actor, interview: Interview) -> ImportUpload:
        file = self.cleaned_data["file"]
        return import_upload_create(
            actor=actor, interview=interview, file_name=file.name, content=file.read()
        )


class SpeakerRolesForm(forms.Form):
    """A role for each speaker label the file has."""

    def __init__(self, *args, labels: list[SpeakerLabel], confirm_impact: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels = labels
        if confirm_impact:
            self.fields["confirm_impact"] = forms.BooleanField(
                label="Store the new revision and carry the codings over as described above.",
                error_messages={"required": "Confirm that the codings are to be carried over."},
            )
        for number, label in enumerate(labels):
            self.fields[f"role_{number}"] = forms.ChoiceField(
                label=label.label, choices=ROLE_CHOICES, initial=label.role
            )

    def roles(self) -> dict[str, str]:
        return {
            label.label: self.cleaned_data[f"role_{number}"]
            for number, label in enumerate(self.labels)
        }

    def rows(self) -> list[tuple[SpeakerLabel, forms.BoundField]]:
        return [(label, self[f"role_{number}"]) for number, label in enumerate(self.labels)]

    def confirmation(self) -> forms.BoundField | None:
        return self["confirm_impact"] if "confirm_impact" in self.fields else None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": f"{TRANSCRIPT_ACCEPT},.zip"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data]
        return [check_size(super(MultipleFileField, self).clean(file, initial)) for file in files]


class BatchUploadForm(ServiceForm):
    domain_errors_on = "files"
    files = MultipleFileField(
        label="Transcript files",
        help_text="Several files, or one .zip of them. You match them to interviews next.",
    )

    def submit(self, *, actor, study: Study) -> ImportBatch:
        files = [(file.name, file.read()) for file in self.cleaned_data["files"]]
        return import_batch_create(actor=actor, study=study, files=files)


class PatternForm(ServiceForm):
    domain_errors_on = "pattern"
    pattern = forms.CharField(
        label="File-name pattern",
        initial=DEFAULT_PATTERN,
        max_length=200,
        help_text=(
            "The file name without its extension. Placeholders: {dyad} (the number in the "
            "dyad's label), {role} (therapist or client, or t or c), {participant} (the "
            "pseudonym), {number} (the interview's number); * matches anything."
        ),
    )


class ReplacementForm(ServiceForm):
    domain_errors_on = NON_FIELD_ERRORS
    original = forms.CharField(label="Real name or place", max_length=200)
    replacement = forms.CharField(label="Replace with", max_length=200)
    case_sensitive = forms.BooleanField(
        label="Only in this letter case", required=False, help_text="For names that are also words."
    )

    def submit(self, *, actor, study: Study) -> PseudonymReplacement:
        return replacement_create(actor=actor, study=study, **self.cleaned_data)


class ProposalForm(ServiceForm):
    """An interviewer proposes a name for the list; an owner adds it or rejects it."""

    domain_errors_on = NON_FIELD_ERRORS
    original = forms.CharField(label="Real name or place", max_length=200)
    replacement = forms.CharField(label="Suggested pseudonym", max_length=200, required=False)

    def submit(self, *, actor, study: Study) -> PseudonymProposal:
        return proposal_create(actor=actor, study=study, **self.cleaned_data)


class ProposalAcceptForm(ServiceForm):
    domain_errors_on = NON_FIELD_ERRORS
    replacement = forms.CharField(
        label="Replace with", max_length=200, required=False, help_text="Blank: as proposed."
    )
    case_sensitive = forms.BooleanField(label="Only in this letter case", required=False)

    def submit(self, *, actor, proposal: PseudonymProposal) -> PseudonymReplacement:
        return proposal_accept(actor=actor, proposal=proposal, **self.cleaned_data)


def form_errors_text(form: forms.Form) -> str:
    """A form's errors as one sentence per field, for a message above the page."""
    return " ".join(
        f"{form.fields[field].label}: {message}" if field in form.fields else str(message)
        for field, messages in form.errors.items()
        for message in messages
    )


class ReplacementListForm(OneFileForm):
    file = forms.FileField(
        label="CSV list",
        help_text="Columns original, replacement and (optional) case_sensitive.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def submit(self, *, actor, study: Study) -> list[PseudonymReplacement]:
        try:
            text = self.cleaned_data["file"].read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise DomainError({"file": "The list must be saved as UTF-8 text."}) from error
        return replacements_import(actor=actor, study=study, csv_text=text)


class AudioForm(OneFileForm):
    file = forms.FileField(
        allow_empty_file=True,
        label="Audio recording",
        help_text="An .mp3, .m4a, .wav or .ogg file.",
        widget=forms.ClearableFileInput(attrs={"accept": AUDIO_ACCEPT}),
    )
