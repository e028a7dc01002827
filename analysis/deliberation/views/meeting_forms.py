"""The forms of the meeting, decision-log and journal pages; each submits through one service."""

import json

from django import forms
from django.contrib.auth import get_user_model

from analysis.coding.models import Code
from analysis.deliberation.models import DecisionKind, MeetingRecord
from analysis.deliberation.services.journal import journal_entry_create, journal_entry_update
from analysis.deliberation.services.meetings import (
    meeting_create,
    meeting_passage_add,
    meeting_update,
)
from analysis.deliberation.services.proposals import (
    decision_accept,
    decision_propose,
    decision_reject,
)
from analysis.themes.models import Theme
from dyads.forms import ServiceForm
from dyads.models import Study
from interviews.models import Interview

# An <input type="date"> reads and writes ISO dates only, whatever the locale.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(ServiceForm):
    date = forms.DateField(widget=DATE)
    title = forms.CharField(max_length=200)
    attendees = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agenda = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Rich text: paragraphs, <strong>, <em>, lists, quotes and links are kept.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, study: Study, meeting: MeetingRecord | None = None, **kwargs):
        if meeting is not None:
            kwargs["initial"] = {
                "date": meeting.date,
                "title": meeting.title,
                "attendees": list(meeting.attendees.all()),
                "agenda": meeting.agenda,
                "notes": meeting.notes,
                "version": meeting.version,
            }
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.study = study
        self.fields["attendees"].queryset = (
            get_user_model()
            .objects.filter(memberships__study=study, memberships__removed_at__isnull=True)
            .order_by("username")
        )

    def submit(self, *, actor) -> MeetingRecord:
        data = dict(self.cleaned_data)
        data["attendees"] = list(data["attendees"])
        version = data.pop("version")
        if self.meeting is None:
            return meeting_create(actor=actor, study=self.study, **data)
        return meeting_update(actor=actor, meeting=self.meeting, version=version, **data)


def _seconds(value: float | None) -> int | None:
    return None if value is None else round(value * 1000)


class PassageForm(ServiceForm):
    interview = forms.ModelChoiceField(queryset=Interview.objects.none())
    t_start = forms.FloatField(required=False, min_value=0, label="From (seconds)")
    t_end = forms.FloatField(required=False, min_value=0, label="To (seconds)")
    start = forms.IntegerField(required=False, min_value=0, label="Text from (character)")
    end = forms.IntegerField(required=False, min_value=0, label="Text to (character)")
    note = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, study: Study, meeting: MeetingRecord, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["interview"].queryset = Interview.objects.filter(
            study=study, deleted_at__isnull=True
        ).select_related("participant")

    def submit(self, *, actor):
        data = self.cleaned_data
        interview = data["interview"]
        has_text = data["start"] is not None or data["end"] is not None
        transcript = getattr(interview, "transcript", None)
        return meeting_passage_add(
            actor=actor,
            meeting=self.meeting,
            interview=interview,
            revision=transcript.current_revision if has_text and transcript else None,
            start=data["start"],
            end=data["end"],
            t_start=_seconds(data["t_start"]),
            t_end=_seconds(data["t_end"]),
            note=data["note"],
        )


class ProposalForm(ServiceForm):
    kind = forms.ChoiceField(choices=DecisionKind.choices)
    code = forms.ModelChoiceField(queryset=Code.objects.none(), required=False)
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False)
    changes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="{}",
        help_text='The change as fields, e.g. {"definition": "…"} or {"into": 12}.',
    )
    meeting = forms.ModelChoiceField(queryset=MeetingRecord.objects.none(), required=False)
    rationale = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        self.study = study
        self.fields["code"].queryset = Code.objects.filter(study=study, retired_at__isnull=True)
        self.fields["theme"].queryset = Theme.objects.filter(study=study, retired_at__isnull=True)
        self.fields["meeting"].queryset = MeetingRecord.objects.filter(study=study)

    def clean_changes(self) -> dict:
        try:
            return json.loads(self.cleaned_data["changes"])
        except json.JSONDecodeError as error:
            raise forms.ValidationError(f"Not valid JSON: {error.msg} at {error.pos}.") from error

    def submit(self, *, actor):
        return decision_propose(actor=actor, study=self.study, **self.cleaned_data)


class AcceptForm(ServiceForm):
    meeting = forms.ModelChoiceField(queryset=MeetingRecord.objects.none(), required=False)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, study: Study, decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.fields["meeting"].queryset = MeetingRecord.objects.filter(study=study)

    def submit(self, *, actor):
        return decision_accept(actor=actor, decision=self.decision, **self.cleaned_data)


class RejectForm(ServiceForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, study: Study, decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision

    def submit(self, *, actor):
        return decision_reject(actor=actor, decision=self.decision, **self.cleaned_data)


class JournalForm(ServiceForm):
    date = forms.DateField(widget=DATE)
    title = forms.CharField(max_length=200, required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}))
    shared = forms.BooleanField(
        required=False, help_text="Shared entries appear in the meeting timeline for everyone."
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, study: Study, entry=None, **kwargs):
        if entry is not None:
            kwargs["initial"] = {
                field: getattr(entry, field)
                for field in ("date", "title", "text", "shared", "version")
            }
        super().__init__(*args, **kwargs)
        self.study, self.entry = study, entry

    def submit(self, *, actor):
        data = dict(self.cleaned_data)
        version = data.pop("version")
        if self.entry is None:
            return journal_entry_create(actor=actor, study=self.study, **data)
        return journal_entry_update(actor=actor, entry=self.entry, version=version, **data)
