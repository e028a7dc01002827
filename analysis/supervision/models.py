"""Audit rounds and their findings."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from analysis.coding.models import Coding
from dyads.models import Study


class AuditStratum(models.TextChoices):
    """What an audit round's sample is stratified by."""

    CODER = "coder", "Coder"
    CODE = "code", "Code"
    DYAD = "dyad", "Dyad"
    INTERVIEW_NUMBER = "interview_number", "Interview number"


class AuditRound(models.Model):
    """A stratified random sample of coded passages that an auditor reviews and signs off.

    The seed, the strata and the moment the population was taken are kept, so
    the same sample can be drawn again.
    """

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="audit_rounds")
    title = models.CharField(max_length=200)
    seed = models.PositiveBigIntegerField()
    strata = models.JSONField(default=list, blank=True)
    per_stratum = models.PositiveSmallIntegerField()
    population_at = models.DateTimeField()
    population_size = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sign_off_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["study", "title"], name="audit_round_title_per_study"),
            models.CheckConstraint(
                condition=Q(per_stratum__gte=1), name="audit_round_samples_someone"
            ),
            models.CheckConstraint(
                condition=Q(signed_off_by__isnull=True, signed_off_at__isnull=True)
                | Q(signed_off_by__isnull=False, signed_off_at__isnull=False),
                name="audit_round_sign_off_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AuditVerdict(models.TextChoices):
    AGREE = "agree", "Agree"
    QUERY = "query", "Query"
    DISAGREE = "disagree", "Disagree"


class AuditFinding(models.Model):
    """An auditor's verdict on one sampled coding, and the coder's reply."""

    round = models.ForeignKey(AuditRound, on_delete=models.PROTECT, related_name="findings")
    coding = models.ForeignKey(Coding, on_delete=models.PROTECT, related_name="audit_findings")
    position = models.PositiveIntegerField()
    stratum = models.JSONField(default=dict, blank=True)
    verdict = models.CharField(max_length=10, choices=AuditVerdict.choices, blank=True)
    comment = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    coder_reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "coding"], name="finding_once_per_coding"),
            models.UniqueConstraint(fields=["round", "position"], name="finding_position_unique"),
            models.CheckConstraint(
                condition=Q(verdict__in=["", *AuditVerdict.values]), name="finding_verdict_known"
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=["", AuditVerdict.AGREE]) | ~Q(comment=""),
                name="query_or_disagreement_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.get_verdict_display() or 'pending'} on {self.coding_id}"
