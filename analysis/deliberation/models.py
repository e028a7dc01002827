"""Analytic meetings, decisions (and proposals), meeting passages and the reflexivity journal."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from analysis.coding.models import Code
from analysis.themes.models import Theme
from dyads.models import Study
from interviews.models import Interview, TranscriptRevision


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
    proposal = models.JSONField(
        null=True,
        blank=True,
        help_text="A proposed decision's intended change, applied when an owner accepts it.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The owner who accepted or rejected a proposal.",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(
        blank=True, help_text="Why a proposal was accepted (without a meeting) or rejected."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False) | ~Q(rationale=""),
                name="decision_cites_meeting_or_rationale",
            ),
            models.CheckConstraint(
                condition=~Q(state=DecisionState.PROPOSED)
                | Q(proposal__isnull=False, decided_at__isnull=True),
                name="proposal_holds_its_change",
            ),
            models.CheckConstraint(
                condition=~Q(state=DecisionState.REJECTED)
                | (Q(decided_at__isnull=False) & ~Q(decision_note="")),
                name="rejection_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DecisionKind.values), name="decision_kind_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display().lower()})"


class MeetingPassage(models.Model):
    """A stretch of an interview reviewed in a meeting.

    A time range of its audio (milliseconds), a text range of one transcript
    revision (code points, end exclusive), or both.
    """

    meeting = models.ForeignKey(MeetingRecord, on_delete=models.PROTECT, related_name="passages")
    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, related_name="+")
    revision = models.ForeignKey(
        TranscriptRevision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    t_start = models.PositiveIntegerField(null=True, blank=True, help_text="Milliseconds.")
    t_end = models.PositiveIntegerField(null=True, blank=True, help_text="Milliseconds.")
    note = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revision__isnull=True, start__isnull=True, end__isnull=True)
                | Q(revision__isnull=False, start__isnull=False, end__gt=F("start")),
                name="passage_text_range_complete",
            ),
            models.CheckConstraint(
                condition=Q(t_start__isnull=True, t_end__isnull=True)
                | Q(t_start__isnull=False, t_end__gt=F("t_start")),
                name="passage_time_range_complete",
            ),
            models.CheckConstraint(
                condition=Q(revision__isnull=False) | Q(t_start__isnull=False),
                name="passage_has_a_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interview} in {self.meeting}"


class JournalEntry(models.Model):
    """A researcher's dated reflexive memo; private to its author unless shared."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="journal_entries")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    shared = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "journal entries"
        indexes = [models.Index(fields=["study", "author", "date"], name="journal_by_author")]

    def __str__(self) -> str:
        return self.title or f"Reflexive memo of {self.date:%Y-%m-%d}"
