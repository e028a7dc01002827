"""The study root: studies, their members, sites, people, dyads and the audit log."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ANALYST = "analyst", "Analyst"
    AUDITOR = "auditor", "Auditor"
    INTERVIEWER = "interviewer", "Interviewer"


class StudyLanguage(models.TextChoices):
    """The transcripts' language: which common words the import preview leaves alone."""

    ENGLISH = "en", "English"
    NORWEGIAN = "nb", "Norwegian"
    DANISH = "da", "Danish"
    SWEDISH = "sv", "Swedish"
    FINNISH = "fi", "Finnish"
    ICELANDIC = "is", "Icelandic"
    GERMAN = "de", "German"
    DUTCH = "nl", "Dutch"
    FRENCH = "fr", "French"
    SPANISH = "es", "Spanish"
    ITALIAN = "it", "Italian"
    PORTUGUESE = "pt", "Portuguese"
    POLISH = "pl", "Polish"


class Study(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        validators=[
            RegexValidator(r"^\d+$", "A slug needs at least one letter.", inverse_match=True)
        ],
    )
    ethics_approval_reference = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True)
    store_original_text = models.BooleanField(
        default=False, help_text="Keep the un-pseudonymised transcript text as well."
    )
    include_interviewer_turns_in_agreement = models.BooleanField(default=False)
    language = models.CharField(
        max_length=8,
        choices=StudyLanguage.choices,
        default=StudyLanguage.ENGLISH,
        help_text="The transcripts' language: its common words are not name candidates.",
    )
    require_name_review = models.BooleanField(
        default=True,
        help_text="Hold a transcript uploaded on the import page until an owner has reviewed "
        "its possible names.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "studies"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class StudyMembership(models.Model):
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    imported_from = models.CharField(
        max_length=255,
        blank=True,
        help_text="For an imported coder (a placeholder account that cannot log in): the file "
        "whose user it stands for.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["study", "user"],
                condition=Q(removed_at__isnull=True),
                name="one_active_membership_per_user_and_study",
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="membership_role_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.role} in {self.study}"


class Site(models.Model):
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=120)
    city = models.CharField(max_length=120, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "name"],
                condition=Q(deleted_at__isnull=True),
                name="site_name_unique_per_study",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ParticipantRole(models.TextChoices):
    THERAPIST = "therapist", "Therapist"
    CLIENT = "client", "Client"


class Participant(models.Model):
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="participants")
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="participants"
    )
    role = models.CharField(max_length=20, choices=ParticipantRole.choices)
    pseudonym = models.CharField(max_length=80)
    gender = models.CharField(max_length=40, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    profession = models.CharField(max_length=120, blank=True)
    theoretical_orientation = models.CharField(max_length=120, blank=True)
    presenting_problems = models.TextField(blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    deleted_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Consent withdrawn: the interviews and attributes were erased; "
        "the pseudonym stays so that the study's counts stay true.",
    )

    class Meta:
        ordering = ["pseudonym"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "pseudonym"], name="pseudonym_unique_per_study"
            ),
            # The target of the dyad's composite foreign keys (see the 0002 migration).
            models.UniqueConstraint(
                fields=["id", "study", "role"], name="participant_id_study_role"
            ),
            models.CheckConstraint(
                condition=Q(role__in=ParticipantRole.values), name="participant_role_is_known"
            ),
            models.CheckConstraint(
                condition=Q(age__isnull=True) | Q(age__gte=16, age__lte=110),
                name="participant_age_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pseudonym} ({self.get_role_display().lower()})"


class Dyad(models.Model):
    """One therapist and one client of the same study.

    On PostgreSQL, composite foreign keys (therapist, study, "therapist") and
    (client, study, "client") onto Participant(id, study, role) make the database
    itself refuse a dyad whose partners have the wrong roles or another study.
    """

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="dyads")
    label = models.CharField(max_length=40)
    therapist = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="dyads_as_therapist"
    )
    client = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="dyads_as_client"
    )
    therapist_role = models.CharField(
        max_length=20, default=ParticipantRole.THERAPIST, editable=False
    )
    client_role = models.CharField(max_length=20, default=ParticipantRole.CLIENT, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True)
    therapy_sessions = models.PositiveSmallIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["study", "label"], name="dyad_label_unique_per_study"),
            models.UniqueConstraint(fields=["client"], name="client_in_one_dyad"),
            models.CheckConstraint(
                condition=Q(therapist_role=ParticipantRole.THERAPIST),
                name="dyad_therapist_role_fixed",
            ),
            models.CheckConstraint(
                condition=Q(client_role=ParticipantRole.CLIENT), name="dyad_client_role_fixed"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class RecruitmentStep(models.TextChoices):
    SITE_ASKED = "site_asked", "Site asked"
    THERAPIST_NOMINATED = "therapist_nominated", "Therapist nominated"
    INVITED = "invited", "Invited"
    RECRUITED = "recruited", "Recruited"
    DECLINED = "declined", "Declined"
    DROPPED_OUT = "dropped_out", "Dropped out"
    COMPLETED = "completed", "Completed"


class RecruitmentEvent(models.Model):
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="recruitment_events")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True)
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="recruitment"
    )
    step = models.CharField(max_length=30, choices=RecruitmentStep.choices)
    role = models.CharField(max_length=20, choices=ParticipantRole.choices, blank=True)
    occurred_on = models.DateField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(step__in=["dropped_out", "declined"]) | ~Q(reason=""),
                name="dropout_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} on {self.occurred_on}"


class AuditEvent(models.Model):
    """One entry of a study's append-only, hash-chained log of changes.

    `hash` is SHA-256 over the previous event's hash and this event's canonical
    serialisation (see dyads.audit), which covers the payload (old and new value,
    reason) through `payload_digest`, a salted digest, so that payload text can be
    scrubbed (`audit_payloads_scrub`) without breaking the chain. On PostgreSQL a
    trigger refuses UPDATE and DELETE on this table, except an UPDATE of the payload
    columns alone by a scrub.

    `may_change_rounds` is not part of the event but what the registry (dyads.registry)
    said of its action when it was written: whether it may change a closed coding
    round. The hash leaves it out; a partial index on it finds the last such event of
    a study at once, however many coding writes came after it.
    """

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="audit_events")
    sequence = models.PositiveBigIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    old_value = models.JSONField(null=True)
    new_value = models.JSONField(null=True)
    reason = models.TextField(blank=True)
    request_id = models.UUIDField(null=True)
    payload_salt = models.CharField(max_length=32, blank=True, db_default="")
    payload_digest = models.CharField(max_length=64, db_default="")
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    may_change_rounds = models.BooleanField(default=True, db_default=True)

    class Meta:
        ordering = ["study", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["study", "sequence"], name="audit_sequence_per_study")
        ]
        indexes = [
            models.Index(fields=["study", "object_type", "object_id"]),
            models.Index(fields=["study", "actor", "created_at"]),
            models.Index(
                fields=["study", "sequence"],
                condition=Q(may_change_rounds=True),
                name="audit_may_change_rounds",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The tip of a study's audit chain; locked while an event is appended."""

    study = models.OneToOneField(Study, on_delete=models.PROTECT, related_name="audit_head")
    sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.study} at #{self.sequence}"


class AuditCheckpoint(models.Model):
    """A signed statement of a study's chain head (dyads.audit.checkpoints).

    Stored so that supervisors can download it; its worth is in the copies they keep
    elsewhere, since whoever can rewrite the log can rewrite this table too.
    """

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="audit_checkpoints")
    sequence = models.PositiveBigIntegerField()
    head_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    public_key = models.CharField(max_length=64)
    signature = models.CharField(max_length=88)

    class Meta:
        ordering = ["study", "-sequence"]
        indexes = [models.Index(fields=["study", "-sequence"], name="checkpoints_latest_first")]

    def __str__(self) -> str:
        return f"{self.study} checkpoint at #{self.sequence}"


class AccessAction(models.TextChoices):
    READ_TRANSCRIPT = "read_transcript", "Read a transcript"
    EXPORT = "export", "Export"
    READ_AUDIO = "read_audio", "Listen to audio"


class AccessEvent(models.Model):
    """One read of sensitive data (a transcript, an export): who, what, when, from where.

    Unlike AuditEvent (changes), this records reads. Owners and auditors browse it.
    """

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="access_events")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=AccessAction.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    request_id = models.UUIDField(null=True)
    ip_address = models.GenericIPAddressField(null=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["study", "-created_at"], name="access_by_study_time"),
            models.Index(fields=["study", "user", "-created_at"], name="access_by_study_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.object_type}:{self.object_id}"


class Invitation(models.Model):
    """An e-mailed, signed, expiring, single-use invitation to join a study with a role."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    key = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="invitation_role_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} as {self.role} in {self.study}"


class AuditComment(models.Model):
    """An auditor's remark on an object of the study of a kind an app registered as
    commentable (dyads.registry): an audit event, a coding, a decision…

    Comments are the auditor's only write; each one is itself an audit event.
    They are never edited or removed: a correction is another comment.
    """

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="audit_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["study", "object_type", "object_id"], name="comments_by_object")
        ]

    def __str__(self) -> str:
        return f"Comment on {self.object_type}:{self.object_id} by {self.author}"
