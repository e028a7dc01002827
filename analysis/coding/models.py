"""The codebook, coding sessions, codings, session progress and memos."""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from dyads.models import Study
from interviews.models import Transcript, TranscriptRevision

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #1f77b4.")


class Code(models.Model):
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="codes")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    guid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    name = models.CharField(max_length=120)
    colour = models.CharField(max_length=7, default="#4e79a7", validators=[colour_validator])
    definition = models.TextField(blank=True)
    inclusion_criteria = models.TextField(blank=True)
    exclusion_criteria = models.TextField(blank=True)
    example = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_codes",
        help_text="The code this one was merged into (it is then retired).",
    )

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                condition=Q(retired_at__isnull=True, parent__isnull=False),
                name="code_name_unique_among_siblings",
            ),
            models.UniqueConstraint(
                fields=["study", "name"],
                condition=Q(retired_at__isnull=True, parent__isnull=True),
                name="top_level_code_name_unique",
            ),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="code_colour_is_hex"
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="code_not_own_parent"),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(retired_at__isnull=False),
                name="merged_code_is_retired",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("id")), name="code_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SessionMode(models.TextChoices):
    BLIND = "blind", "Blind"
    OPEN = "open", "Open"


class SessionState(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class CodingSession(models.Model):
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="coding_sessions")
    name = models.CharField(max_length=120)
    mode = models.CharField(max_length=10, choices=SessionMode.choices)
    state = models.CharField(max_length=10, choices=SessionState.choices, default=SessionState.OPEN)
    coders = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="coding_sessions")
    transcripts = models.ManyToManyField(Transcript, related_name="coding_sessions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["study", "name"], name="session_name_unique_per_study"),
            models.CheckConstraint(
                condition=Q(mode__in=SessionMode.values), name="session_mode_is_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Coding(models.Model):
    """A code applied to [start, end) of a revision's text, in code points."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="+")
    revision = models.ForeignKey(
        TranscriptRevision, on_delete=models.PROTECT, related_name="codings"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="codings")
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        CodingSession, on_delete=models.PROTECT, null=True, blank=True, related_name="codings"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    needs_review = models.BooleanField(
        default=False,
        help_text="Its text changed or vanished in a corrected revision; see its open review.",
    )

    class Meta:
        ordering = ["revision", "start", "end"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="coding_not_empty"),
        ]
        indexes = [
            models.Index(
                fields=["revision", "start"],
                condition=Q(deleted_at__isnull=True),
                name="live_codings_by_revision",
            ),
            models.Index(
                fields=["code", "revision"],
                condition=Q(deleted_at__isnull=True),
                name="live_codings_by_code",
            ),
            models.Index(fields=["study", "coder", "created_at"], name="codings_by_coder"),
        ]

    def __str__(self) -> str:
        return f"{self.code} at {self.start}-{self.end} by {self.coder}"


class AnchorState(models.TextChoices):
    CHANGED = "changed", "Its words changed"
    VANISHED = "vanished", "Its text is gone"


class ReviewOutcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted as it is"
    ADJUSTED = "adjusted", "Adjusted"
    REMOVED = "removed", "Removed"


class CodingReview(models.Model):
    """A coding flagged when its transcript was corrected: where it stood before, and how
    the review ended. A changed coding was moved onto its mapped range; a vanished one
    stayed on its old revision."""

    coding = models.ForeignKey(Coding, on_delete=models.PROTECT, related_name="reviews")
    revision = models.ForeignKey(TranscriptRevision, on_delete=models.PROTECT, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=AnchorState.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices, blank=True)

    class Meta:
        ordering = ["coding__start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["coding"], condition=Q(closed_at__isnull=True), name="one_open_review"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, outcome="")
                | Q(closed_at__isnull=False) & ~Q(outcome=""),
                name="closed_review_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.coding}: {self.get_state_display().lower()}"


class SessionProgress(models.Model):
    """Whether a coder has marked one transcript of a coding session done.

    A reopened transcript keeps its row with `done_at` cleared, so the audit
    trail and this row tell the same story.
    """

    session = models.ForeignKey(CodingSession, on_delete=models.PROTECT, related_name="progress")
    transcript = models.ForeignKey(Transcript, on_delete=models.PROTECT, related_name="+")
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "transcript", "coder"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "transcript", "coder"], name="progress_once_per_coder"
            )
        ]

    def __str__(self) -> str:
        state = "done" if self.done_at else "in progress"
        return f"{self.coder} on {self.transcript}: {state}"


class Memo(models.Model):
    """A note by a researcher, on the study or attached to a code, coding or transcript."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="memos")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    code = models.ForeignKey(
        Code, on_delete=models.PROTECT, null=True, blank=True, related_name="memos"
    )
    coding = models.ForeignKey(
        Coding, on_delete=models.PROTECT, null=True, blank=True, related_name="memos"
    )
    transcript = models.ForeignKey(
        Transcript, on_delete=models.PROTECT, null=True, blank=True, related_name="memos"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title or self.text[:60]
