"""The analysis: codebook, coding sessions, codings, memos, themes, meetings and decisions."""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from dyads.models import Dyad, ParticipantRole, Study
from interviews.models import GuideQuestion, Interview, Transcript, TranscriptRevision

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
        "a quote containing one is flagged before export.",
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


# Agreement: adjudication, meeting agendas and calibration ----------------------


class ResolutionKind(models.TextChoices):
    ACCEPT = "accept", "Accept one coder's version"
    BOTH = "both", "Accept every version (their union)"
    NEITHER = "neither", "Accept no version"
    EDITED = "edited", "An edited span"


class Resolution(models.Model):
    """How one disagreement of a coding session was settled, and why.

    A disagreement is a passage: a stretch of a revision where the session's
    coders applied one code differently (see analysis.passages). The resolution
    names it by (session, revision, code, start, end), keeps each coder's
    version as it was, and holds the spans that enter the consensus layer.
    A withdrawn resolution is kept, with who withdrew it and why.
    """

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(CodingSession, on_delete=models.PROTECT, related_name="resolutions")
    revision = models.ForeignKey(TranscriptRevision, on_delete=models.PROTECT, related_name="+")
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="resolutions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=ResolutionKind.choices)
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The coder whose version was accepted.",
    )
    spans = models.JSONField(
        default=list, blank=True, help_text="The consensus spans, [[start, end], …] in code points."
    )
    versions = models.JSONField(
        default=dict, help_text="Each coder's spans in the passage when it was resolved."
    )
    source_codings = models.ManyToManyField(Coding, blank=True, related_name="resolutions")
    reason = models.TextField()
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdraw_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["session", "revision", "start", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="resolution_passage_not_empty"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="resolution_has_a_reason"),
            models.CheckConstraint(
                condition=Q(kind__in=ResolutionKind.values), name="resolution_kind_is_known"
            ),
            models.CheckConstraint(
                condition=Q(kind=ResolutionKind.ACCEPT, coder__isnull=False)
                | (~Q(kind=ResolutionKind.ACCEPT) & Q(coder__isnull=True)),
                name="resolution_accept_names_a_coder",
            ),
            models.UniqueConstraint(
                fields=["session", "revision", "code", "start", "end"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_resolution_per_disagreement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.code} at {self.start}-{self.end}"


class AgendaDisagreement(models.Model):
    """A disagreement of a coding session put on the agenda of an analytic meeting."""

    meeting = models.ForeignKey(
        MeetingRecord, on_delete=models.PROTECT, related_name="disagreements"
    )
    session = models.ForeignKey(CodingSession, on_delete=models.PROTECT, related_name="+")
    revision = models.ForeignKey(TranscriptRevision, on_delete=models.PROTECT, related_name="+")
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "revision", "start", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="agenda_passage_not_empty"
            ),
            models.UniqueConstraint(
                fields=["meeting", "session", "revision", "code", "start", "end"],
                name="disagreement_once_per_agenda",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} at {self.start}-{self.end} on {self.meeting}"


class CalibrationReference(models.Model):
    """A coded transcript new coders are measured against, frozen when it is marked.

    `spans` holds the reference codings as [[code id, start, end], …]: one
    coder's codings in a session, or (without `coder`) the session's consensus.
    """

    study = models.ForeignKey(
        Study, on_delete=models.PROTECT, related_name="calibration_references"
    )
    name = models.CharField(max_length=120)
    revision = models.ForeignKey(TranscriptRevision, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(CodingSession, on_delete=models.PROTECT, related_name="+")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whose codings are the reference; blank: the session's consensus.",
    )
    spans = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "name"],
                condition=Q(retired_at__isnull=True),
                name="calibration_reference_name_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CalibrationAttempt(models.Model):
    """A trainee's blind coding of a reference transcript, in a session of their own."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="+")
    reference = models.ForeignKey(
        CalibrationReference, on_delete=models.PROTECT, related_name="attempts"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    session = models.OneToOneField(
        CodingSession, on_delete=models.PROTECT, related_name="calibration_attempt"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "trainee"],
                condition=Q(submitted_at__isnull=True),
                name="one_open_calibration_attempt",
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee} on {self.reference}"


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
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    PREVIEWED = "previewed", "Previewed, waiting for confirmation"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class ExchangeJob(models.Model):
    """An export or an import (REFI-QDA, spreadsheets, backups); pages poll this row.

    An import runs twice: first to a preview (state `previewed`), then, once
    the user confirms the preview with their source mapping, to the import.
    """

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="exchange_jobs")
    kind = models.CharField(max_length=10, choices=ExchangeKind.choices)
    format = models.CharField(max_length=20, choices=ExchangeFormat.choices)
    state = models.CharField(
        max_length=20, choices=ExchangeState.choices, default=ExchangeState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
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
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="exchange_progress_is_a_percent"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ExchangeKind.values), name="exchange_kind_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.format} ({self.state})"
