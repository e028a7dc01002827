from django.contrib.auth import get_user_model
from rest_framework import serializers

from dyads.apibase import StudyScopedField
from dyads.models import Study
from interviews.models import Transcript, TranscriptRevision

from .models import Code, Coding, CodingSession, Decision, MeetingRecord, Memo, Theme

User = get_user_model()


def username_field(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs
    )


class DecisionContextSerializer(serializers.Serializer):
    """Where a codebook or theme change was agreed, or why it was made."""

    meeting = StudyScopedField(MeetingRecord.objects.all(), required=False, allow_null=True)
    rationale = serializers.CharField(required=False, allow_blank=True, default="")


class CodeSerializer(serializers.ModelSerializer):
    study = StudyScopedField(Study.objects.all(), study_path="pk")
    parent = StudyScopedField(
        Code.objects.filter(retired_at__isnull=True), required=False, allow_null=True
    )
    meeting = StudyScopedField(
        MeetingRecord.objects.all(), required=False, allow_null=True, write_only=True
    )
    rationale = serializers.CharField(required=False, allow_blank=True, write_only=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Code
        fields = [
            "id",
            "study",
            "parent",
            "guid",
            "name",
            "colour",
            "definition",
            "inclusion_criteria",
            "exclusion_criteria",
            "example",
            "position",
            "version",
            "retired_at",
            "meeting",
            "rationale",
        ]
        read_only_fields = ["guid", "retired_at"]
        validators = []


class CodingSerializer(serializers.ModelSerializer):
    revision = StudyScopedField(
        TranscriptRevision.objects.all(), study_path="transcript__interview__study"
    )
    code = StudyScopedField(Code.objects.filter(retired_at__isnull=True))
    session = StudyScopedField(CodingSession.objects.all(), required=False, allow_null=True)
    coder = serializers.CharField(source="coder.username", read_only=True)

    class Meta:
        model = Coding
        fields = ["id", "revision", "start", "end", "code", "coder", "session", "created"]
        extra_kwargs = {"created": {"source": "created_at", "read_only": True}}


class CodingSessionSerializer(serializers.ModelSerializer):
    study = StudyScopedField(Study.objects.all(), study_path="pk")
    coders = username_field(many=True)
    transcripts = StudyScopedField(
        Transcript.objects.all(), study_path="interview__study", many=True
    )

    class Meta:
        model = CodingSession
        fields = [
            "id",
            "study",
            "name",
            "mode",
            "coders",
            "transcripts",
            "state",
            "created_at",
            "closed_at",
        ]
        read_only_fields = ["state", "created_at", "closed_at"]
        validators = []


class MeetingSerializer(serializers.ModelSerializer):
    study = StudyScopedField(Study.objects.all(), study_path="pk")
    attendees = username_field(many=True, required=False)

    class Meta:
        model = MeetingRecord
        fields = ["id", "study", "date", "title", "attendees", "agenda", "notes", "version"]
        read_only_fields = ["version"]


class DecisionSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "study",
            "kind",
            "state",
            "meeting",
            "rationale",
            "before",
            "after",
            "code",
            "theme",
            "author",
            "created_at",
        ]


class ThemeSerializer(serializers.ModelSerializer):
    study = StudyScopedField(Study.objects.all(), study_path="pk")
    parent = StudyScopedField(
        Theme.objects.filter(retired_at__isnull=True), required=False, allow_null=True
    )
    codes = StudyScopedField(Code.objects.all(), many=True, required=False)
    meeting = StudyScopedField(
        MeetingRecord.objects.all(), required=False, allow_null=True, write_only=True
    )
    rationale = serializers.CharField(required=False, allow_blank=True, write_only=True)

    class Meta:
        model = Theme
        fields = [
            "id",
            "study",
            "parent",
            "level",
            "name",
            "description",
            "client_description",
            "therapist_description",
            "codes",
            "position",
            "version",
            "meeting",
            "rationale",
        ]
        read_only_fields = ["level", "position", "version"]
        validators = []


class MemoSerializer(serializers.ModelSerializer):
    study = StudyScopedField(Study.objects.all(), study_path="pk")
    code = StudyScopedField(Code.objects.all(), required=False, allow_null=True)
    coding = StudyScopedField(Coding.objects.all(), required=False, allow_null=True)
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = Memo
        fields = [
            "id",
            "study",
            "title",
            "text",
            "code",
            "coding",
            "author",
            "version",
            "created_at",
        ]
        read_only_fields = ["version", "created_at"]
