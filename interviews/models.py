"""Interviews, their guides, audio and transcripts (immutable revisions with speaker turns),
and what importing transcripts needs: the study's pseudonym list, uploads and import jobs."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from dyads.jobs import ACTIVE_JOB_STATES, Job, JobState
from dyads.models import Dyad, Participant, ParticipantRole, Study


class InterviewFocus(models.TextChoices):
    BACKGROUND = "background", "Personal background"
    THERAPY = "therapy", "This therapy"
    BOTH = "both", "Both"


class InterviewTiming(models.TextChoices):
    DURING = "during", "During therapy"
    AFTER = "after", "After therapy"


class InterviewGuide(models.Model):
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="guides")
    title = models.CharField(max_length=200)
    role = models.CharField(
        max_length=20, choices=ParticipantRole.choices, blank=True, help_text="Blank: both roles."
    )
    focus = models.CharField(max_length=20, choices=InterviewFocus.choices, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["study", "title"], name="guide_title_unique_per_study")
        ]

    def __str__(self) -> str:
        return self.title


class GuideQuestion(models.Model):
    """A question of a guide; with a participant it is tailored to that person only."""

    guide = models.ForeignKey(InterviewGuide, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tailored_questions",
    )

    class Meta:
        ordering = ["guide", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "position"], name="question_position_unique_per_guide"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Interview(models.Model):
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="interviews")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="interviews"
    )
    dyad = models.ForeignKey(
        Dyad, on_delete=models.PROTECT, null=True, blank=True, related_name="interviews"
    )
    sequence_number = models.PositiveSmallIntegerField()
    focus = models.CharField(max_length=20, choices=InterviewFocus.choices)
    timing = models.CharField(max_length=20, choices=InterviewTiming.choices)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews_held",
    )
    date = models.DateField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    guide = models.ForeignKey(
        InterviewGuide, on_delete=models.PROTECT, null=True, blank=True, related_name="interviews"
    )
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["participant", "sequence_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "sequence_number"],
                name="interview_number_unique_per_participant",
            ),
            models.CheckConstraint(
                condition=Q(sequence_number__gte=1), name="interview_number_from_one"
            ),
            models.CheckConstraint(
                condition=Q(focus__in=InterviewFocus.values), name="interview_focus_is_known"
            ),
            models.CheckConstraint(
                condition=Q(timing__in=InterviewTiming.values), name="interview_timing_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant.pseudonym}, interview {self.sequence_number}"


class AudioRecording(models.Model):
    interview = models.OneToOneField(Interview, on_delete=models.PROTECT, related_name="audio")
    file = models.FileField(upload_to="audio/%Y/%m/")
    content_type = models.CharField(max_length=60)
    checksum = models.CharField(max_length=64)
    duration_seconds = models.FloatField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Audio of {self.interview}"


class Transcript(models.Model):
    interview = models.OneToOneField(Interview, on_delete=models.PROTECT, related_name="transcript")
    current_revision = models.OneToOneField(
        "TranscriptRevision", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Transcript of {self.interview}"


# The text search configuration of revisions' search documents: no stemming, whatever
# the transcripts' language. The document is a PostgreSQL column outside the model
# state (migrations 0005 and 0007), filled by services.search_documents.
SEARCH_CONFIG = "simple"


class TranscriptRevision(models.Model):
    """One immutable text of a transcript. A correction is a new revision."""

    transcript = models.ForeignKey(Transcript, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    original_text = models.TextField(
        blank=True, help_text="The un-pseudonymised text, kept only if the study owner allows it."
    )
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the imported file.")
    source_name = models.CharField(max_length=255, blank=True)
    source_format = models.CharField(max_length=10, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["transcript", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["transcript", "number"], name="revision_number_unique_per_transcript"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_from_one"),
            # Imports are idempotent: the same file is one revision of a transcript, once.
            models.UniqueConstraint(
                fields=["transcript", "checksum"], name="revision_checksum_unique_per_transcript"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transcript}, revision {self.number}"


class SpeakerRole(models.TextChoices):
    INTERVIEWER = "interviewer", "Interviewer"
    PARTICIPANT = "participant", "Participant"
    OTHER = "other", "Other"


class SpeakerTurn(models.Model):
    """A stretch of a revision's text spoken by one person; offsets in code points."""

    # No index of its own: turn_index_per_revision (revision, index) serves its lookups.
    revision = models.ForeignKey(
        TranscriptRevision, on_delete=models.PROTECT, related_name="turns", db_index=False
    )
    index = models.PositiveIntegerField()
    speaker = models.CharField(max_length=80, blank=True)
    role = models.CharField(max_length=20, choices=SpeakerRole.choices)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    t_start = models.PositiveIntegerField(null=True, blank=True, help_text="Milliseconds.")
    t_end = models.PositiveIntegerField(null=True, blank=True, help_text="Milliseconds.")

    class Meta:
        ordering = ["revision", "index"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "index"], name="turn_index_per_revision"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="turn_not_empty"),
            models.CheckConstraint(
                condition=Q(t_end__isnull=True)
                | Q(t_start__isnull=True)
                | Q(t_end__gte=F("t_start")),
                name="turn_time_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker or '?'} {self.start}-{self.end}"


# An import has exactly the states of every job (dyads.jobs).
ImportState = JobState
ACTIVE_IMPORT_STATES = ACTIVE_JOB_STATES


class PseudonymReplacement(models.Model):
    """One entry of a study's replacement list: a real name or place and its pseudonym.

    Only the study's owners read and change the list (it holds the real names).
    """

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="replacements")
    original = models.CharField(max_length=200)
    replacement = models.CharField(max_length=200)
    case_sensitive = models.BooleanField(
        default=False, help_text="Match only in this letter case (for names that are also words)."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["study", Lower("original")]
        constraints = [
            models.UniqueConstraint(
                Lower("original"),
                "study",
                condition=Q(deleted_at__isnull=True),
                name="replacement_original_unique_per_study",
                violation_error_message="This name is already on the study's list.",
            ),
            models.CheckConstraint(
                condition=Q(original__regex=r"\S") & Q(replacement__regex=r"\S"),
                name="replacement_not_blank",
            ),
        ]

    def __str__(self) -> str:
        return f"→ {self.replacement}"


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Added to the list"
    REJECTED = "rejected", "Rejected"


class PseudonymProposal(models.Model):
    """A name an interviewer proposes for the study's list; an owner adds it or rejects it."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="pseudonym_proposals")
    original = models.CharField(max_length=200)
    replacement = models.CharField(max_length=200, blank=True, help_text="A suggestion.")
    state = models.CharField(
        max_length=10, choices=ProposalState.choices, default=ProposalState.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    entry = models.ForeignKey(
        PseudonymReplacement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(original__regex=r"\S"), name="proposal_not_blank"),
            models.CheckConstraint(
                condition=Q(state__in=ProposalState.values), name="proposal_state_is_known"
            ),
            models.UniqueConstraint(
                Lower("original"),
                "study",
                condition=Q(state="proposed"),
                name="one_open_proposal_per_name",
                violation_error_message="This name is already proposed.",
            ),
        ]

    def __str__(self) -> str:
        return f"Proposal {self.pk} ({self.state})"


class ImportBatch(models.Model):
    """Several files uploaded at once, matched to interviews by a file-name pattern."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="import_batches")
    pattern = models.CharField(max_length=200, blank=True)
    refused = models.JSONField(
        default=list, blank=True, help_text="[{file, reason}] of the files refused on upload."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import batch {self.pk}"


class ImportUpload(models.Model):
    """An uploaded transcript file between upload and import.

    The bytes are kept in the database (never under the uploaded name) and
    emptied when the import ends, because they hold the real names.
    """

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="import_uploads")
    interview = models.ForeignKey(
        Interview, on_delete=models.PROTECT, null=True, blank=True, related_name="uploads"
    )
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, null=True, blank=True, related_name="uploads"
    )
    file_name = models.CharField(max_length=255, help_text="Pseudonymised.")
    source_format = models.CharField(max_length=10)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the file.")
    size = models.PositiveIntegerField()
    content = models.BinaryField(editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    names_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The owner who reviewed the possible names of the preview.",
    )
    names_reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Upload of {self.file_name}"


class ImportJob(Job):
    """A transcript import; the page and the API read its state from this row
    (its state, progress, error, task id and times are those of every job)."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="import_jobs")
    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, related_name="import_jobs")
    upload = models.OneToOneField(
        ImportUpload, on_delete=models.PROTECT, null=True, blank=True, related_name="job"
    )
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="jobs"
    )
    file_name = models.CharField(max_length=255)
    checksum = models.CharField(max_length=64)
    speaker_roles = models.JSONField(
        default=dict, blank=True, help_text="Speaker label (pseudonymised) → role, as confirmed."
    )
    report = models.JSONField(
        default=list, blank=True, help_text="[{replacement, count}]: what was pseudonymised."
    )
    already_imported = models.BooleanField(
        default=False, help_text="The file was imported before; no new revision was made."
    )
    revision = models.ForeignKey(
        TranscriptRevision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="progress_is_a_percent"),
            models.CheckConstraint(
                condition=Q(state__in=ImportState.values), name="import_state_is_known"
            ),
            # One import of a file into an interview at a time.
            models.UniqueConstraint(
                fields=["interview", "checksum"],
                condition=Q(state__in=ACTIVE_IMPORT_STATES),
                name="one_active_import_per_file_and_interview",
            ),
        ]

    def __str__(self) -> str:
        return f"Import of {self.file_name} ({self.state})"
