"""The form part every codebook and theme change shares: the decision behind it."""

from django import forms

from analysis.deliberation.models import MeetingRecord
from dyads.forms import ServiceForm
from dyads.models import Study


class DecisionForm(ServiceForm):
    """Where a codebook or theme change was agreed, or why it was made: the decision every
    such change records (a meeting, or a rationale)."""

    meeting = forms.ModelChoiceField(
        queryset=MeetingRecord.objects.none(),
        required=False,
        empty_label="— no meeting —",
        help_text="The meeting where this was agreed.",
    )
    rationale = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why — needed when no meeting is named.",
    )

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = MeetingRecord.objects.filter(study=study)
