"""Resolutions of disagreements, disagreements on a meeting's agenda, and calibration
references and attempts."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from analysis.coding.models import Code, Coding, CodingSession
from analysis.deliberation.models import MeetingRecord
from dyads.models import Study
from interviews.models import TranscriptRevision

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
