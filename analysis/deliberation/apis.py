"""The API of meetings, decisions, meeting passages, proposals and their acceptance, and the
reflexivity journal."""

from django.db.models import Q
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from analysis.coding.apis import AnalysisViewSet
from analysis.coding.models import Code
from analysis.coding.serializers import (
    username_field,
)
from analysis.deliberation.models import (
    Decision,
    DecisionKind,
    JournalEntry,
    MeetingPassage,
    MeetingRecord,
)
from analysis.deliberation.services import journal, meetings, proposals
from analysis.themes.models import Theme
from dyads.apibase import StudyScopedField
from dyads.models import Study
from dyads.permissions import Action
from interviews.models import Interview, TranscriptRevision


class MeetingSerializer(serializers.ModelSerializer):
    study = StudyScopedField(Study.objects.all(), study_path="pk")
    attendees = username_field(many=True, required=False)

    class Meta:
        model = MeetingRecord
        fields = ["id", "study", "date", "title", "attendees", "agenda", "notes", "version"]
        read_only_fields = ["version"]


# Serializers -----------------------------------------------------------------------------


# The API's component keeps the name it had before the class was renamed.
@extend_schema_serializer(component_name="Passage")
class MeetingPassageSerializer(serializers.ModelSerializer):
    meeting = StudyScopedField(MeetingRecord.objects.all())
    interview = StudyScopedField(Interview.objects.filter(deleted_at__isnull=True))
    revision = StudyScopedField(
        TranscriptRevision.objects.all(),
        study_path="transcript__interview__study",
        required=False,
        allow_null=True,
    )
    added_by = serializers.CharField(source="added_by.username", read_only=True)

    class Meta:
        model = MeetingPassage
        fields = [
            "id",
            "meeting",
            "interview",
            "revision",
            "start",
            "end",
            "t_start",
            "t_end",
            "note",
            "added_by",
            "added_at",
        ]
        read_only_fields = ["added_at"]


class DecisionSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None)

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
            "proposal",
            "code",
            "theme",
            "author",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]


class ProposalSerializer(serializers.Serializer):
    """`POST /api/v1/decisions/`: propose a change; `changes` holds its fields, ids for objects."""

    study = StudyScopedField(Study.objects.all(), study_path="pk")
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    changes = serializers.DictField(required=False, default=dict)
    code = StudyScopedField(Code.objects.all(), required=False, allow_null=True)
    theme = StudyScopedField(Theme.objects.all(), required=False, allow_null=True)
    meeting = StudyScopedField(MeetingRecord.objects.all(), required=False, allow_null=True)
    rationale = serializers.CharField(required=False, allow_blank=True, default="")


class AcceptSerializer(serializers.Serializer):
    meeting = StudyScopedField(MeetingRecord.objects.all(), required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class JournalEntrySerializer(serializers.ModelSerializer):
    study = StudyScopedField(Study.objects.all(), study_path="pk")
    author = serializers.CharField(source="author.username", read_only=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = JournalEntry
        fields = ["id", "study", "author", "date", "title", "text", "shared", "version"]


# Viewsets --------------------------------------------------------------------------------


class MeetingViewSet(AnalysisViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    queryset = MeetingRecord.objects.prefetch_related("attendees")
    serializer_class = MeetingSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def partial_update(self, request, *args, **kwargs):
        """Correct the meeting; send the `version` you edited (query or body)."""
        data = self.validated(partial=True)
        data.pop("study", None)
        meeting = meetings.meeting_update(
            actor=request.user, meeting=self.get_object(), version=self.version_param(), **data
        )
        return Response(self.get_serializer(meeting).data)

    def create(self, request, *args, **kwargs):
        data = self.validated()
        data.setdefault("attendees", [])
        return self.created(meetings.meeting_create(actor=request.user, **data))


class MeetingPassageViewSet(AnalysisViewSet, mixins.CreateModelMixin, mixins.DestroyModelMixin):
    """Passages reviewed in meetings; `DELETE` takes one off its meeting (soft)."""

    queryset = MeetingPassage.objects.filter(removed_at__isnull=True).select_related("added_by")
    serializer_class = MeetingPassageSerializer
    study_path = "meeting__study"
    filterset_fields = ["meeting", "interview"]

    def create(self, request, *args, **kwargs):
        return self.created(meetings.meeting_passage_add(actor=request.user, **self.validated()))

    def destroy(self, request, *args, **kwargs):
        meetings.meeting_passage_remove(actor=request.user, passage=self.get_object())
        return Response(status=204)


class DecisionViewSet(AnalysisViewSet, mixins.CreateModelMixin):
    """The decision log. `POST` proposes a change; owners `accept` or `reject` it."""

    queryset = Decision.objects.select_related("author", "decided_by")
    serializer_class = DecisionSerializer
    filterset_fields = ["kind", "state", "meeting", "code", "theme"]

    def create(self, request, *args, **kwargs):
        data = self.validated(ProposalSerializer)
        return self.created(proposals.decision_propose(actor=request.user, **data))

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        decision = self.get_object()
        data = self.validated(AcceptSerializer)
        decision = proposals.decision_accept(actor=request.user, decision=decision, **data)
        return Response(self.get_serializer(decision).data)

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        decision = self.get_object()
        data = self.validated(RejectSerializer)
        decision = proposals.decision_reject(actor=request.user, decision=decision, **data)
        return Response(self.get_serializer(decision).data)


class JournalEntryViewSet(
    AnalysisViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin
):
    """One's own reflexive memos and everyone's shared ones."""

    queryset = JournalEntry.objects.filter(deleted_at__isnull=True).select_related("author")
    serializer_class = JournalEntrySerializer
    read_action = Action.KEEP_JOURNAL
    filterset_fields = ["shared", "date"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        return super().get_queryset().filter(Q(author=user) | Q(shared=True))

    def create(self, request, *args, **kwargs):
        data = self.validated()
        data.pop("version", None)
        return self.created(journal.journal_entry_create(actor=request.user, **data))

    def partial_update(self, request, *args, **kwargs):
        data = self.validated(partial=True)
        data.pop("study", None)
        entry = journal.journal_entry_update(actor=request.user, entry=self.get_object(), **data)
        return Response(self.get_serializer(entry).data)

    def destroy(self, request, *args, **kwargs):
        journal.journal_entry_delete(
            actor=request.user, entry=self.get_object(), version=self.version_param()
        )
        return Response(status=204)
