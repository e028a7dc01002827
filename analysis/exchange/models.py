"""Exchange jobs: exports and imports of whole studies, run by the worker."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from dyads.jobs import Job
from dyads.models import Study


class ExchangeKind(models.TextChoices):
    EXPORT = "export", "Export"
    IMPORT = "import", "Import"


class ExchangeFormat(models.TextChoices):
    QDPX = "qdpx", "REFI-QDA project (.qdpx)"
    QDC = "qdc", "REFI-QDA codebook (.qdc)"
    SEGMENTS_CSV = "segments_csv", "Coded segments (.csv)"
    SEGMENTS_XLSX = "segments_xlsx", "Coded segments (.xlsx)"
    EXCERPTS_DOCX = "excerpts_docx", "Excerpts per code (.docx)"
    CODEBOOK_CSV = "codebook_csv", "Codebook spreadsheet (.csv)"
    CODEBOOK_XLSX = "codebook_xlsx", "Codebook spreadsheet (.xlsx)"
    BACKUP = "backup", "Study backup (.zip)"


class ExchangeState(models.TextChoices):
    """The states of every job (dyads.jobs.JobState) and the wait for a preview's confirmation."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    PREVIEWED = "previewed", "Previewed, waiting for confirmation"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class ExchangeJob(Job):
    """An export or an import (REFI-QDA, spreadsheets, backups); pages poll this row.

    An import runs twice: first to a preview (state `previewed`), then, once
    the user confirms the preview with their source mapping, to the import.
    Its lifecycle is that of every job (dyads.jobs), with the one state more.
    """

    CLAIMED_PROGRESS = 1

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="exchange_jobs")
    kind = models.CharField(max_length=10, choices=ExchangeKind.choices)
    format = models.CharField(max_length=20, choices=ExchangeFormat.choices)
    # Job's state, with the one state more.
    state = models.CharField(
        max_length=20, choices=ExchangeState.choices, default=ExchangeState.QUEUED
    )
    options = models.JSONField(default=dict, blank=True)
    preview = models.JSONField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    upload = models.FileField(upload_to="exchange/in/%Y/%m/", blank=True)
    output = models.FileField(upload_to="exchange/out/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="exchange_progress_is_a_percent"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ExchangeKind.values), name="exchange_kind_is_known"
            ),
            models.CheckConstraint(
                condition=Q(state__in=ExchangeState.values), name="exchange_state_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.format} ({self.state})"
