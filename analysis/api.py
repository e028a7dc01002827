from django_filters import rest_framework as filters
from rest_framework import mixins
from rest_framework.response import Response

from dyads.apibase import ReadViewSet
from dyads.permissions import Action

from .models import Code, Coding, CodingSession, Decision, MeetingRecord, Memo, Theme
from .selectors import codings_visible_to
from .serializers import (
    CodeSerializer,
    CodingSerializer,
    CodingSessionSerializer,
    DecisionContextSerializer,
    DecisionSerializer,
    MeetingSerializer,
    MemoSerializer,
    ThemeSerializer,
)
from .services import codebook, codings, meetings, memos, sessions, themes


class AnalysisViewSet(ReadViewSet):
    read_action = Action.VIEW_ANALYSIS


class CodeViewSet(AnalysisViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    queryset = Code.objects.filter(retired_at__isnull=True)
    serializer_class = CodeSerializer
    filterset_fields = ["parent"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = self.validated()
        data.pop("version", None)
        return self.created(codebook.code_create(actor=request.user, **data))

    def partial_update(self, request, *args, **kwargs):
        data = self.validated(partial=True)
        data.pop("study", None)
        code = codebook.code_update(actor=request.user, code=self.get_object(), **data)
        return Response(self.get_serializer(code).data)

    def destroy(self, request, *args, **kwargs):
        context = self.validated(DecisionContextSerializer)
        version = request.query_params.get("version") or request.data.get("version")
        codebook.code_retire(actor=request.user, code=self.get_object(), version=version, **context)
        return Response(status=204)


class CodingFilter(filters.FilterSet):
    coder = filters.CharFilter(field_name="coder__username")

    class Meta:
        model = Coding
        fields = ["revision", "code", "session", "coder"]


class CodingViewSet(AnalysisViewSet, mixins.CreateModelMixin, mixins.DestroyModelMixin):
    queryset = Coding.objects.filter(deleted_at__isnull=True).select_related("coder")
    serializer_class = CodingSerializer
    filterset_class = CodingFilter

    def get_queryset(self):
        return codings_visible_to(self.request.user, super().get_queryset())

    def create(self, request, *args, **kwargs):
        return self.created(codings.coding_create(actor=request.user, **self.validated()))

    def destroy(self, request, *args, **kwargs):
        codings.coding_delete(actor=request.user, coding=self.get_object())
        return Response(status=204)


class CodingSessionViewSet(AnalysisViewSet, mixins.CreateModelMixin):
    queryset = CodingSession.objects.prefetch_related("coders", "transcripts")
    serializer_class = CodingSessionSerializer
    filterset_fields = ["state", "mode"]

    def create(self, request, *args, **kwargs):
        session = sessions.coding_session_create(actor=request.user, **self.validated())
        return self.created(session)


class MeetingViewSet(AnalysisViewSet, mixins.CreateModelMixin):
    queryset = MeetingRecord.objects.prefetch_related("attendees")
    serializer_class = MeetingSerializer

    def create(self, request, *args, **kwargs):
        data = self.validated()
        data.setdefault("attendees", [])
        return self.created(meetings.meeting_create(actor=request.user, **data))


class DecisionViewSet(AnalysisViewSet):
    queryset = Decision.objects.select_related("author")
    serializer_class = DecisionSerializer
    filterset_fields = ["kind", "state", "meeting", "code", "theme"]


class ThemeViewSet(AnalysisViewSet, mixins.CreateModelMixin):
    queryset = Theme.objects.filter(retired_at__isnull=True).prefetch_related("codes")
    serializer_class = ThemeSerializer
    filterset_fields = ["parent", "level"]

    def create(self, request, *args, **kwargs):
        return self.created(themes.theme_create(actor=request.user, **self.validated()))


class MemoViewSet(AnalysisViewSet, mixins.CreateModelMixin):
    queryset = Memo.objects.filter(deleted_at__isnull=True).select_related("author")
    serializer_class = MemoSerializer
    filterset_fields = ["code", "coding"]

    def create(self, request, *args, **kwargs):
        return self.created(memos.memo_create(actor=request.user, **self.validated()))
