"""Serializers of the agreement API: reports, disagreements, resolutions, agendas,
the consensus layer and calibration. Read-only ones render the dataclasses of
analysis.agreement_queries, analysis.consensus_queries and
analysis.calibration_queries; undefined coefficients (NaN) become null.
"""

import math

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from analysis.agreement.models import (
    AgendaDisagreement,
    CalibrationAttempt,
    CalibrationReference,
    Resolution,
    ResolutionKind,
)
from analysis.agreement.selectors.consensus import ConsensusSource
from analysis.agreement.selectors.disagreements import QUEUE_ORDERS, QUEUE_STATES
from analysis.coding.models import Code, CodingSession
from analysis.coding.serializers import username_field
from analysis.deliberation.models import MeetingRecord
from dyads.apibase import StudyScopedField
from dyads.models import Study
from interviews.models import Transcript, TranscriptRevision


@extend_schema_field({"type": "number", "format": "double", "nullable": True})
class Figure(serializers.Field):
    """A coefficient; null where it is undefined (NaN)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return None if value is None or math.isnan(value) else float(value)


FIGURE_NAMES = ("percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha")


def figures(path: str = "") -> dict[str, serializers.Field]:
    """The coefficient fields, read from `path` (an attribute holding Coefficients)."""
    where = {
        name: {"source": f"{path}.{name}"} if path else {} for name in (*FIGURE_NAMES, "units")
    }
    fields = {name: Figure(**where[name]) for name in FIGURE_NAMES}
    fields["units"] = serializers.FloatField(read_only=True, **where["units"])
    return fields


def with_figures(class_name: str, path: str, /, **fields) -> type[serializers.Serializer]:
    """A serializer class with the given fields, then the coefficients read from `path`."""
    return type(class_name, (serializers.Serializer,), {**fields, **figures(path)})


CoefficientsSerializer = with_figures("CoefficientsSerializer", "")


CodeAgreementSerializer = with_figures(
    "CodeAgreementSerializer",
    "coefficients",
    code=serializers.IntegerField(source="code.pk"),
    name=serializers.CharField(source="code.name"),
    colour=serializers.CharField(source="code.colour"),
    passages=serializers.IntegerField(),
    note=serializers.CharField(),
)


class PairAgreementSerializer(with_figures("PairFigures", "coefficients")):
    coders = serializers.SerializerMethodField()

    def get_coders(self, pair) -> list[str]:
        return [pair.first, pair.second]


class CodeCellSerializer(serializers.Serializer):
    code = serializers.IntegerField(source="code.pk")
    krippendorff_alpha = Figure()


TranscriptAgreementSerializer = with_figures(
    "TranscriptAgreementSerializer",
    "coefficients",
    transcript=serializers.IntegerField(source="text.transcript"),
    revision=serializers.IntegerField(source="text.revision"),
    label=serializers.CharField(source="text.label"),
    codes=CodeCellSerializer(source="cells", many=True),
)


class AgreementReportSerializer(serializers.Serializer):
    study = serializers.IntegerField(source="scope.study.pk")
    session = serializers.IntegerField(source="scope.session.pk", allow_null=True)
    unit = serializers.CharField(source="scope.unit")
    include_interviewer_turns = serializers.BooleanField(source="scope.include_interviewer_turns")
    coders = serializers.ListField(child=serializers.CharField())
    overall = CoefficientsSerializer()
    codes = CodeAgreementSerializer(many=True)
    pairs = PairAgreementSerializer(many=True)
    transcripts = TranscriptAgreementSerializer(many=True)


class DriftSessionSerializer(serializers.Serializer):
    session = serializers.IntegerField(source="session.pk")
    name = serializers.CharField(source="session.name")
    closed_at = serializers.DateTimeField(source="session.closed_at")
    overall = CoefficientsSerializer()
    codes = serializers.SerializerMethodField()

    @extend_schema_field(CodeCellSerializer(many=True))
    def get_codes(self, point):
        return [
            {"code": code, "krippendorff_alpha": Figure().to_representation(alpha)}
            for code, alpha in point.alphas.items()
        ]


class DriftSerializer(serializers.Serializer):
    unit = serializers.CharField()
    sessions = DriftSessionSerializer(source="points", many=True)


class SpansField(serializers.ListField):
    child = serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2)


class VersionSerializer(serializers.Serializer):
    coder = serializers.CharField()
    spans = SpansField(allow_null=True)


class CodePassageSerializer(serializers.Serializer):
    """A passage of a code; `context["texts"]` maps revision ids to their text."""

    code = serializers.IntegerField(source="code.pk")
    code_name = serializers.CharField(source="code.name")
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.SerializerMethodField()

    def get_text(self, view) -> str:
        return self.context["texts"][view.text.revision][view.start : view.end]


class DisagreementSerializer(CodePassageSerializer):
    session = serializers.IntegerField()
    revision = serializers.IntegerField(source="text.revision")
    transcript = serializers.IntegerField(source="text.transcript")
    transcript_label = serializers.CharField(source="text.label")
    size = serializers.IntegerField()
    state = serializers.CharField()
    versions = serializers.SerializerMethodField()
    overlap = SpansField(source="passage.overlap")
    codings = serializers.ListField(child=serializers.IntegerField())
    resolution = serializers.IntegerField(source="resolution.pk", allow_null=True)
    meetings = serializers.SerializerMethodField()

    @extend_schema_field(VersionSerializer(many=True))
    def get_versions(self, view):
        return [{"coder": name, "spans": version} for name, version in view.versions]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_meetings(self, view):
        return [entry.meeting for entry in view.agenda]


class DisagreementQuerySerializer(serializers.Serializer):
    session = serializers.IntegerField()
    code = serializers.IntegerField(required=False)
    state = serializers.ChoiceField(QUEUE_STATES, default="unresolved")
    order = serializers.ChoiceField(list(QUEUE_ORDERS), default="size")


class ConsensusSpanSerializer(serializers.Serializer):
    revision = serializers.IntegerField()
    code = serializers.IntegerField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    source = serializers.ChoiceField([source.value for source in ConsensusSource])
    session = serializers.IntegerField(allow_null=True)
    resolution = serializers.IntegerField(allow_null=True)


class ResolutionSerializer(serializers.ModelSerializer):
    coder = serializers.CharField(source="coder.username", default=None, read_only=True)
    resolved_by = serializers.CharField(source="resolved_by.username", read_only=True)
    withdrawn_by = serializers.CharField(source="withdrawn_by.username", default=None)

    class Meta:
        model = Resolution
        fields = [
            "id",
            "study",
            "session",
            "revision",
            "code",
            "start",
            "end",
            "kind",
            "coder",
            "spans",
            "versions",
            "source_codings",
            "reason",
            "resolved_by",
            "resolved_at",
            "withdrawn_at",
            "withdrawn_by",
            "withdraw_reason",
        ]
        read_only_fields = fields


class ResolutionCreateSerializer(serializers.Serializer):
    session = StudyScopedField(CodingSession.objects.all())
    revision = StudyScopedField(
        TranscriptRevision.objects.all(), study_path="transcript__interview__study"
    )
    code = StudyScopedField(Code.objects.all())
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=0)
    kind = serializers.ChoiceField(ResolutionKind.choices)
    coder = username_field(required=False, allow_null=True, default=None)
    edited_start = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    edited_end = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AgendaDisagreementSerializer(serializers.ModelSerializer):
    added_by = serializers.CharField(source="added_by.username", read_only=True)

    class Meta:
        model = AgendaDisagreement
        fields = ["id", "meeting", "session", "revision", "code", "start", "end", "added_by"]
        read_only_fields = fields


class AgendaAddSerializer(serializers.Serializer):
    session = StudyScopedField(CodingSession.objects.all())
    meeting = StudyScopedField(MeetingRecord.objects.all())
    passages = serializers.ListField(
        child=serializers.ListField(
            child=serializers.IntegerField(min_value=0), min_length=4, max_length=4
        ),
        required=False,
        allow_null=True,
        default=None,
        help_text="[revision, code, start, end] of each; omit for every unresolved one "
        "(an empty list is refused).",
    )
    code = StudyScopedField(Code.objects.all(), required=False, allow_null=True, default=None)


class CalibrationReferenceSerializer(serializers.ModelSerializer):
    study = StudyScopedField(Study.objects.all(), study_path="pk")
    session = StudyScopedField(CodingSession.objects.all())
    transcript = StudyScopedField(
        Transcript.objects.all(), study_path="interview__study", write_only=True
    )
    coder = username_field(required=False, allow_null=True, default=None)
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = CalibrationReference
        fields = [
            "id",
            "study",
            "name",
            "revision",
            "session",
            "transcript",
            "coder",
            "spans",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["revision", "spans", "created_at"]
        validators = []


class CalibrationAttemptSerializer(serializers.ModelSerializer):
    reference = StudyScopedField(CalibrationReference.objects.filter(retired_at__isnull=True))
    trainee = username_field()
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = CalibrationAttempt
        fields = [
            "id",
            "reference",
            "trainee",
            "session",
            "created_by",
            "created_at",
            "submitted_at",
        ]
        read_only_fields = ["session", "created_at", "submitted_at"]


class PassageDifferenceSerializer(CodePassageSerializer):
    reference = serializers.SerializerMethodField()
    trainee = serializers.SerializerMethodField()

    @extend_schema_field(SpansField())
    def get_reference(self, view):
        return view.passage.versions[0]

    @extend_schema_field(SpansField())
    def get_trainee(self, view):
        return view.passage.versions[1]


class CalibrationResultSerializer(serializers.Serializer):
    attempt = serializers.IntegerField(source="attempt.pk")
    unit = serializers.CharField()
    overall = CoefficientsSerializer()
    codes = CodeAgreementSerializer(many=True)
    missed = PassageDifferenceSerializer(many=True)
    extra = PassageDifferenceSerializer(many=True)
    bounded = PassageDifferenceSerializer(many=True)
