"""Serializers of the coding API."""

from django.contrib.auth import get_user_model
from django.db.models.functions import Length
from rest_framework import serializers

from analysis.coding.models import Code, Coding, CodingSession, Memo
from analysis.deliberation.models import MeetingRecord
from dyads.apibase import StudyScopedField
from dyads.models import ParticipantRole, Study
from interviews.models import Transcript, TranscriptRevision

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
            "merged_into",
            "meeting",
            "rationale",
        ]
        read_only_fields = ["guid", "retired_at", "merged_into"]
        validators = []


class CodeMergeSerializer(DecisionContextSerializer):
    into = StudyScopedField(Code.objects.filter(retired_at__isnull=True))
    version = serializers.IntegerField(required=False)


class SplitPartSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    codings = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    colour = serializers.CharField(max_length=7, required=False)
    definition = serializers.CharField(required=False, allow_blank=True)
    inclusion_criteria = serializers.CharField(required=False, allow_blank=True)
    exclusion_criteria = serializers.CharField(required=False, allow_blank=True)
    example = serializers.CharField(required=False, allow_blank=True)


class CodeSplitSerializer(DecisionContextSerializer):
    parts = SplitPartSerializer(many=True)
    retire_original = serializers.BooleanField(default=True)
    version = serializers.IntegerField(required=False)


class ExcerptFilterSerializer(serializers.Serializer):
    include_subcodes = serializers.BooleanField(default=False)
    role = serializers.ChoiceField(choices=ParticipantRole.choices, required=False)
    dyad = serializers.IntegerField(required=False)
    interview = serializers.IntegerField(required=False)
    coder = serializers.CharField(required=False)
    session = serializers.IntegerField(required=False)


class ExcerptSerializer(serializers.Serializer):
    """A coded passage with its context (`before`, `text`, `after`) and its origin."""

    coding = serializers.IntegerField()
    code = serializers.IntegerField()
    code_name = serializers.CharField()
    colour = serializers.CharField()
    revision = serializers.IntegerField()
    interview = serializers.IntegerField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    before = serializers.CharField()
    text = serializers.CharField()
    after = serializers.CharField()
    speaker = serializers.CharField()
    speaker_role = serializers.CharField()
    participant = serializers.CharField()
    role = serializers.CharField()
    dyad = serializers.IntegerField(allow_null=True)
    dyad_label = serializers.CharField(allow_null=True)
    interview_number = serializers.IntegerField()
    coder = serializers.CharField()
    coder_name = serializers.CharField(help_text="The coder's full name, or username.")
    session = serializers.IntegerField(allow_null=True)
    session_name = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()

    def to_representation(self, instance):
        # The values are plain already: DRF's per-field machinery cost 13 ms for 500
        # excerpts. Only the timestamp takes the field's format.
        data = {name: getattr(instance, name) for name in self.fields}
        data["created_at"] = self.fields["created_at"].to_representation(instance.created_at)
        return data


class SearchQuerySerializer(serializers.Serializer):
    study = serializers.CharField()
    q = serializers.CharField(max_length=500)
    page = serializers.IntegerField(min_value=1, default=1)


class SearchPassageSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField()
    speaker = serializers.CharField()
    turn_index = serializers.IntegerField()
    highlights = serializers.ListField(source="marks", child=serializers.ListField())


class SearchHitSerializer(serializers.Serializer):
    interview = serializers.IntegerField(source="interview.pk")
    revision = serializers.IntegerField()
    participant = serializers.CharField(source="interview.participant.pseudonym")
    role = serializers.CharField(source="interview.participant.role")
    dyad = serializers.IntegerField(source="interview.dyad_id", allow_null=True)
    dyad_label = serializers.CharField(source="interview.dyad.label", default=None)
    interview_number = serializers.IntegerField(source="interview.sequence_number")
    matches = serializers.IntegerField()
    passages = SearchPassageSerializer(many=True)


class CodingSerializer(serializers.ModelSerializer):
    # coding_create reads the revision's study: fetch it with the revision (3 queries fewer).
    revision = StudyScopedField(
        TranscriptRevision.objects.select_related("transcript__interview__study")
        .defer("text", "original_text")
        .annotate(text_length=Length("text")),
        study_path="transcript__interview__study",
    )
    code = StudyScopedField(Code.objects.filter(retired_at__isnull=True))
    session = StudyScopedField(CodingSession.objects.all(), required=False, allow_null=True)
    coder = serializers.CharField(source="coder.username", read_only=True)
    coded_as = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The code the coder chose; merges and splits never change it."
    )

    class Meta:
        model = Coding
        fields = [
            "id",
            "revision",
            "start",
            "end",
            "code",
            "coded_as",
            "coder",
            "session",
            "created",
        ]
        extra_kwargs = {"created": {"source": "created_at", "read_only": True}}


class CodingRecodeSerializer(serializers.Serializer):
    code = StudyScopedField(Code.objects.filter(retired_at__isnull=True))


class SessionTranscriptSerializer(serializers.Serializer):
    """A transcript of a coding session, for marking it done or reopening it."""

    transcript = StudyScopedField(Transcript.objects.all(), study_path="interview__study")


class LiveQuerySerializer(serializers.Serializer):
    """The query of the coding page's feed: which session's codings, changes after when."""

    session = StudyScopedField(CodingSession.objects.all(), required=False, allow_null=True)
    after = serializers.IntegerField(min_value=0, required=False)


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


class MemoUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    text = serializers.CharField(required=False)
    version = serializers.IntegerField(required=False)


class ReviewQuerySerializer(serializers.Serializer):
    """`?transcript=`: whose review queue to list."""

    transcript = StudyScopedField(Transcript.objects.all(), study_path="interview__study")


class ReviewAdjustSerializer(serializers.Serializer):
    """The span, in code points of the transcript's current revision, a flagged coding moves to."""

    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)


class ReviewSpanSerializer(serializers.Serializer):
    revision = serializers.IntegerField(source="revision_id")
    start = serializers.IntegerField()
    end = serializers.IntegerField()


class ReviewItemSerializer(serializers.Serializer):
    """A flagged coding: the text it was coded on, and where it lies now with its context
    (`now` is null when its text is gone and it stayed on its old revision)."""

    coding = serializers.IntegerField(source="coding.pk")
    code = serializers.IntegerField(source="coding.code_id")
    code_name = serializers.CharField(source="coding.code.name")
    coder = serializers.CharField(source="coding.coder.username")
    session = serializers.IntegerField(source="coding.session_id", allow_null=True)
    state = serializers.SerializerMethodField()
    was = serializers.SerializerMethodField()
    now = serializers.SerializerMethodField()

    def get_state(self, item) -> str:
        return "vanished" if item.vanished else "changed"

    def get_was(self, item) -> dict:
        where = item.review or item.coding
        return {**ReviewSpanSerializer(where).data, "text": item.old_text}

    def get_now(self, item) -> dict | None:
        if item.vanished:
            return None
        span = ReviewSpanSerializer(item.coding).data
        return {**span, "before": item.before, "text": item.text, "after": item.after}
