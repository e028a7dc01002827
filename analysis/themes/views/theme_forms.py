"""The forms of the theme, matrix, coverage and report pages."""

from django import forms

from analysis.coding.models import Code
from analysis.deliberation.views.decision_forms import DecisionForm
from analysis.themes.models import (
    ConvergenceVerdict,
    Pronoun,
    ReportClearance,
    StudyReportSettings,
    Theme,
)
from analysis.themes.services.report_clearance import report_clear
from analysis.themes.services.report_settings import report_settings_update
from analysis.themes.services.themes import theme_create, theme_update
from dyads.forms import ServiceForm
from dyads.models import Study
from interviews.models import GuideQuestion


class RetireForm(DecisionForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ThemeForm(DecisionForm):
    name = forms.CharField(max_length=200)
    parent = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        required=False,
        empty_label="— none: an overarching theme —",
        label="Constituent of",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    client_description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="The clients' perspective",
        help_text="The condensed description of how the clients experienced it.",
    )
    therapist_description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="The therapists' perspective",
        help_text="The condensed description of how the therapists experienced it.",
    )
    codes = forms.ModelMultipleChoiceField(
        queryset=Code.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, study: Study, theme: Theme | None = None, **kwargs):
        super().__init__(*args, study=study, **kwargs)
        parents = Theme.objects.filter(study=study, retired_at__isnull=True)
        if theme is not None:
            parents = parents.exclude(pk=theme.pk)
        self.fields["parent"].queryset = parents
        self.fields["codes"].queryset = Code.objects.filter(
            study=study, retired_at__isnull=True
        ).order_by("name")
        self.order_fields(["name", "parent", "description", "client_description"])
        self.study, self.theme = study, theme

    def submit(self, *, actor) -> Theme:
        """A new theme, or the changed one."""
        data = dict(self.cleaned_data)
        if self.theme is None:
            data.pop("version")
            return theme_create(actor=actor, study=self.study, **data)
        return theme_update(actor=actor, theme=self.theme, **data)


class QuoteForm(DecisionForm):
    coding = forms.IntegerField(widget=forms.HiddenInput)


class ConvergenceForm(forms.Form):
    verdict = forms.ChoiceField(choices=ConvergenceVerdict.choices, widget=forms.RadioSelect)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AskedHereForm(forms.Form):
    question = forms.ModelChoiceField(queryset=GuideQuestion.objects.none())
    turn = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = questions


class ReportClearForm(ServiceForm):
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    acknowledge_warnings = forms.BooleanField(
        required=False, label="I have read the warnings above and judge the report safe to publish."
    )

    def submit(self, *, actor, study: Study) -> ReportClearance:
        return report_clear(actor=actor, study=study, **self.cleaned_data)


class ReportSettingsForm(ServiceForm):
    client_pronoun = forms.ChoiceField(
        choices=[("", "— as written —"), *Pronoun.choices],
        required=False,
        help_text="Every client is called this in the report's text (quotes stay as spoken).",
    )
    therapist_pronoun = forms.ChoiceField(
        choices=[("", "— as written —"), *Pronoun.choices],
        required=False,
        help_text="Every therapist is called this in the report's text.",
    )
    sensitive_terms = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One a line: words that could identify a participant (a rare job, a "
        "village, an event). The report is checked for them before export.",
    )
    min_cell_size = forms.IntegerField(
        label="Smallest group shown",
        required=False,
        min_value=1,
        max_value=50,
        initial=3,
        help_text="A table category of fewer people is folded into “Other”, and a smaller "
        "count is flagged before export.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_sensitive_terms(self) -> list[str]:
        return self.cleaned_data["sensitive_terms"].splitlines()

    def submit(self, *, actor, study: Study) -> StudyReportSettings:
        return report_settings_update(actor=actor, study=study, **self.cleaned_data)
