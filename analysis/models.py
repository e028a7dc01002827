"""The analysis: codebook, coding sessions, codings, memos, themes, meetings and decisions."""

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
        default=False, help_text="Could not be re-anchored onto a corrected revision."
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


class MeetingRecord(models.Model):
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="meetings_attended")
    agenda = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


class DecisionKind(models.TextChoices):
    CODE_CREATE = "code_create", "Create code"
    CODE_RENAME = "code_rename", "Rename code"
    CODE_REDEFINE = "code_redefine", "Redefine code"
    CODE_MERGE = "code_merge", "Merge codes"
    CODE_SPLIT = "code_split", "Split code"
    CODE_MOVE = "code_move", "Move code"
    CODE_RETIRE = "code_retire", "Retire code"
    THEME_CREATE = "theme_create", "Create theme"
    THEME_REVISE = "theme_revise", "Revise theme"
    THEME_LINK_CODE = "theme_link_code", "Link code to theme"
    THEME_SET_QUOTE = "theme_set_quote", "Set exemplary quote"
    THEME_MOVE = "theme_move", "Move theme"
    THEME_RETIRE = "theme_retire", "Retire theme"


class DecisionState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Decision(models.Model):
    """A change to the codebook or theme structure, agreed in a meeting or justified."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=30, choices=DecisionKind.choices)
    state = models.CharField(
        max_length=20, choices=DecisionState.choices, default=DecisionState.ACCEPTED
    )
    meeting = models.ForeignKey(
        MeetingRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    rationale = models.TextField(blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    code = models.ForeignKey(
        Code, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False) | ~Q(rationale=""),
                name="decision_cites_meeting_or_rationale",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DecisionKind.values), name="decision_kind_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display().lower()})"
