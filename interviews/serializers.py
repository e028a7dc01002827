from django.contrib.auth import get_user_model
from rest_framework import serializers

from dyads.apibase import StudyScopedField
from dyads.models import Dyad, Participant

from .models import Interview, InterviewGuide, SpeakerTurn, Transcript, TranscriptRevision


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
