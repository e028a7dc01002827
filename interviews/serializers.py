import dataclasses

from django.contrib.auth import get_user_model
from rest_framework import serializers

from dyads.apibase import StudyScopedField
from dyads.models import Dyad, Participant, Study

from .forms import check_size
from .matching import DEFAULT_PATTERN
from .models import (
    AudioRecording,
    GuideQuestion,
    ImportJob,
    Interview,
    InterviewGuide,
    PseudonymProposal,
    PseudonymReplacement,
    SpeakerTurn,
    Transcript,
    TranscriptRevision,
)
from .selectors import FilePreview


class InterviewSerializer(serializers.ModelSerializer):
    participant = StudyScopedField(Participant.objects.filter(deleted_at__isnull=True))
    dyad = StudyScopedField(Dyad.objects.all(), required=False, allow_null=True)
    guide = StudyScopedField(InterviewGuide.objects.all(), required=False, allow_null=True)
    interviewer = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.all(),
        required=False,
        allow_null=True,
    )
    transcript = serializers.PrimaryKeyRelatedField(read_only=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Interview
        fields = [
            "id",
            "study",
            "participant",
            "dyad",
            "sequence_number",
            "focus",
            "timing",
            "interviewer",
            "date",
            "duration_minutes",
            "guide",
            "notes",
            "transcript",
            "version",
        ]
        read_only_fields = ["study"]
        validators = []


class SpeakerTurnSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpeakerTurn
        fields = ["speaker", "role", "start", "end", "t_start", "t_end"]


class RevisionSerializer(serializers.ModelSerializer):
    turns = SpeakerTurnSerializer(many=True)

    class Meta:
        model = TranscriptRevision
        fields = ["id", "number", "text", "checksum", "source_name", "created_at", "turns"]


class TranscriptSerializer(serializers.ModelSerializer):
    revision = RevisionSerializer(source="current_revision")

    class Meta:
        model = Transcript
        fields = ["id", "interview", "revision"]


class GuideQuestionSerializer(serializers.ModelSerializer):
    participant = StudyScopedField(
        Participant.objects.filter(deleted_at__isnull=True), required=False, allow_null=True
    )

    class Meta:
        model = GuideQuestion
        fields = ["id", "position", "text", "participant"]
        read_only_fields = ["position"]


class GuideSerializer(serializers.ModelSerializer):
    """A guide with its questions; on create, `questions` is a list of texts in order."""

    study = StudyScopedField(Study.objects.all(), study_path="pk")
    questions = GuideQuestionSerializer(many=True, read_only=True)
    question_texts = serializers.ListField(
        child=serializers.CharField(max_length=2000),
        required=False,
        write_only=True,
        help_text="On create: the study-wide questions, in order.",
    )
    version = serializers.IntegerField(required=False)

    class Meta:
        model = InterviewGuide
        fields = ["id", "study", "title", "role", "focus", "questions", "question_texts", "version"]
        validators = []


class ImportJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportJob
        fields = [
            "id",
            "study",
            "interview",
            "batch",
            "state",
            "progress",
            "error",
            "file_name",
            "checksum",
            "already_imported",
            "report",
            "revision",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class TranscriptPreviewSerializer(serializers.Serializer):
    # An empty file is refused by the reader, with the file's name in the message.
    file = serializers.FileField(allow_empty_file=True)

    def validate_file(self, file):
        check_size(file)
        return file


def preview_data(preview: FilePreview, *, file_name: str, held_for_review: bool) -> dict:
    """The import preview as the API answers it (it holds the real names: the caller
    sent the file)."""
    prepared = preview.prepared
    return {
        "file_name": file_name,
        "format": prepared.format,
        "characters": len(prepared.text),
        "turns": len(prepared.turns),
        "labels": [
            {"label": label.label, "original": label.original, "turns": label.turns,
             "role": label.role}
            for label in prepared.labels
        ],
        "replacements": [
            {"original": r.original, "replacement": r.replacement, "count": r.count}
            for r in prepared.replaced
        ],
        "near_misses": [dataclasses.asdict(finding) for finding in preview.near_misses],
        "name_candidates": [dataclasses.asdict(finding) for finding in preview.candidates],
        "held_for_review": held_for_review,
    }  # fmt: skip


class TranscriptUploadSerializer(serializers.Serializer):
    # An empty file is refused by the reader, with the file's name in the message.
    file = serializers.FileField(allow_empty_file=True)
    names_reviewed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="An owner vouches for the file's possible names (see the preview); "
        "without it, a study that holds imports for review refuses a file that has any.",
    )
    speaker_roles = serializers.JSONField(
        required=False,
        help_text='Speaker label as in the file → role: {"I": "interviewer", "Kari": "participant"}.',
    )

    def validate_file(self, file):
        check_size(file)
        return file

    def validate_speaker_roles(self, roles):
        if not isinstance(roles, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in roles.items()
        ):
            raise serializers.ValidationError("Give an object of speaker label → role.")
        return roles


class TranscriptBatchSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        allow_empty=False,
        help_text="The transcript files (multipart, `files` repeated), or one .zip of them.",
    )
    pattern = serializers.CharField(
        default=DEFAULT_PATTERN,
        help_text="How a file's name points at its interview, as on the bulk import page.",
    )

    def validate_files(self, files):
        return [check_size(file) for file in files]


class AudioUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)

    def validate_file(self, file):
        check_size(file)
        return file


class AudioRecordingSerializer(serializers.ModelSerializer):
    class Meta:
        model = AudioRecording
        fields = ["id", "interview", "content_type", "checksum", "duration_seconds", "uploaded_at"]


class PseudonymReplacementSerializer(serializers.ModelSerializer):
    study = StudyScopedField(Study.objects.all(), study_path="pk")
    version = serializers.IntegerField(required=False)

    class Meta:
        model = PseudonymReplacement
        fields = ["id", "study", "original", "replacement", "case_sensitive", "version"]
        validators = []


class PseudonymProposalSerializer(serializers.ModelSerializer):
    study = StudyScopedField(Study.objects.all(), study_path="pk")
    proposed_by = serializers.CharField(source="proposed_by.username", read_only=True)

    class Meta:
        model = PseudonymProposal
        fields = ["id", "study", "original", "replacement", "state", "proposed_by", "created_at"]
        read_only_fields = ["state", "created_at"]
        validators = []


class ProposalAcceptSerializer(serializers.Serializer):
    replacement = serializers.CharField(required=False, allow_blank=True, max_length=200)
    case_sensitive = serializers.BooleanField(required=False, default=False)
