"""Themes, exemplary quotes, convergence marks, interview-guide coverage and the results
report's settings."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from analysis.coding.models import Code, Coding
from dyads.models import Dyad, ParticipantRole, Study
from interviews.models import GuideQuestion, Interview, TranscriptRevision


class ThemeLevel(models.TextChoices):
    OVERARCHING = "overarching", "Overarching theme"
    CONSTITUENT = "constituent", "Constituent theme"


class Theme(models.Model):
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="themes")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.CharField(max_length=20, choices=ThemeLevel.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    client_description = models.TextField(blank=True)
    therapist_description = models.TextField(blank=True)
    codes = models.ManyToManyField(Code, blank=True, related_name="themes")
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "name"],
                condition=Q(retired_at__isnull=True),
                name="theme_name_unique_per_study",
            ),
            models.CheckConstraint(
                condition=Q(level=ThemeLevel.OVERARCHING, parent__isnull=True)
                | Q(level=ThemeLevel.CONSTITUENT, parent__isnull=False),
                name="constituents_have_a_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExemplaryQuote(models.Model):
    """A coded excerpt chosen to illustrate a theme from the client's or the therapist's side."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="quotes")
    perspective = models.CharField(max_length=20, choices=ParticipantRole.choices)
    coding = models.ForeignKey(Coding, on_delete=models.PROTECT, related_name="quoted_as")
    position = models.PositiveSmallIntegerField(default=0)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["theme", "perspective", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "coding"],
                condition=Q(removed_at__isnull=True),
                name="quote_chosen_once_per_theme",
            ),
            models.CheckConstraint(
                condition=Q(perspective__in=ParticipantRole.values),
                name="quote_perspective_is_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_perspective_display()} quote for {self.theme}"


class ConvergenceVerdict(models.TextChoices):
    CONVERGE = "converge", "Converge"
    DIVERGE = "diverge", "Diverge"
    ONE_SIDED = "one_sided", "One-sided"


class ConvergenceMark(models.Model):
    """The analysts' reading of whether a dyad's two accounts of a theme meet."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="+")
    dyad = models.ForeignKey(Dyad, on_delete=models.PROTECT, related_name="convergence_marks")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="convergence_marks")
    verdict = models.CharField(max_length=20, choices=ConvergenceVerdict.choices)
    note = models.TextField(blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dyad", "theme"]
        constraints = [
            models.UniqueConstraint(
                fields=["dyad", "theme"],
                condition=Q(cleared_at__isnull=True),
                name="one_convergence_mark_per_cell",
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=ConvergenceVerdict.values),
                name="convergence_verdict_is_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dyad} × {self.theme}: {self.get_verdict_display().lower()}"


class QuestionCoverage(models.Model):
    """A passage of an interview where one of its guide questions was asked and answered."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(GuideQuestion, on_delete=models.PROTECT, related_name="coverage")
    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, related_name="coverage")
    revision = models.ForeignKey(TranscriptRevision, on_delete=models.PROTECT, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    coding = models.ForeignKey(
        Coding, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["interview", "start", "question"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="coverage_not_empty"),
            models.UniqueConstraint(
                fields=["question", "revision", "start", "end"],
                condition=Q(deleted_at__isnull=True),
                name="coverage_marked_once_per_passage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} asked in {self.interview}"


class Pronoun(models.TextChoices):
    SHE = "she", "she / her"
    HE = "he", "he / him"
    THEY = "they", "they / them"


class StudyReportSettings(models.Model):
    """How the study's results report speaks of participants, and what it must not quote."""

    study = models.OneToOneField(Study, on_delete=models.PROTECT, related_name="report_settings")
    client_pronoun = models.CharField(
        max_length=10,
        choices=Pronoun.choices,
        blank=True,
        help_text="Every client is referred to with this pronoun in the report's text. "
        "Blank: keep the text as written.",
    )
    therapist_pronoun = models.CharField(
        max_length=10,
        choices=Pronoun.choices,
        blank=True,
        help_text="Every therapist is referred to with this pronoun in the report's text. "
        "Blank: keep the text as written.",
    )
    sensitive_terms = models.JSONField(
        default=list,
        blank=True,
        help_text="Words that could identify a participant (a rare job, a village, an event); "
        "the report is checked for them before export.",
    )
    min_cell_size = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="The smallest group the report's tables show: a category of fewer people "
        "is folded into “Other”, and a smaller count is flagged.",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "study report settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(client_pronoun__in=[*Pronoun.values, ""])
                & Q(therapist_pronoun__in=[*Pronoun.values, ""]),
                name="report_pronouns_are_known",
            )
        ]

    def __str__(self) -> str:
        return f"Report settings of {self.study}"


class ReportClearance(models.Model):
    """An owner cleared the results report for publication: this content (its fingerprint),
    with the warnings that were open then. A changed report is not cleared."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="report_clearances")
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the report's content.")
    open_warnings = models.PositiveIntegerField(default=0)
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    cleared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-cleared_at", "-pk"]
        indexes = [models.Index(fields=["study", "fingerprint"], name="report_clearance_lookup")]

    def __str__(self) -> str:
        return f"Clearance of {self.study}'s report"
