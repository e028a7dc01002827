"""The API of the dyad-aware views: the matrix, exemplary quotes, convergence marks and
interview-guide coverage. Every write goes through a service; reads are study-scoped."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from analysis.coding.apis import AnalysisViewSet
from analysis.coding.models import Code, Coding
from analysis.coding.serializers import (
    DecisionContextSerializer,
)
from analysis.deliberation.models import MeetingRecord
from analysis.themes.models import (
    ConvergenceMark,
    ConvergenceVerdict,
    ExemplaryQuote,
    QuestionCoverage,
    Theme,
)
from analysis.themes.selectors.matrix import (
    SORTS,
    InterviewWave,
    Matrix,
    MatrixFilters,
    dyad_matrix,
)
from analysis.themes.selectors.source import CodingSource, SideState
from analysis.themes.services import themes
from analysis.themes.services.convergence import convergence_mark_clear, convergence_mark_set
from analysis.themes.services.coverage import coverage_mark, coverage_unmark
from analysis.themes.services.themes import theme_quote_add, theme_quote_remove
from dyads.apibase import StudyScopedField
from dyads.models import Dyad, Study
from dyads.permissions import Action, study_access
from interviews.models import GuideQuestion, TranscriptRevision


def matrix_json(matrix: Matrix) -> dict:
    def mark(cell) -> dict | None:
        if cell.mark is None:
            return None
        fields = ("id", "verdict", "note", "version")
        return {field: getattr(cell.mark, field) for field in fields}

    return {
        "source": matrix.filters.source.value,
        "interviews": matrix.filters.interviews.value,
        "constituents": [
            {
                "id": node.theme.pk,
                "name": node.theme.name,
                "parent": node.theme.parent_id,
                "depth": node.depth,
                "codes": sorted(node.code_ids),
            }
            for node in matrix.constituents
        ],
        "dyads": [
            {
                "id": row.dyad.pk,
                "label": row.dyad.label,
                "therapist": row.dyad.therapist.pseudonym,
                "client": row.dyad.client.pseudonym,
                "site": row.dyad.site.name if row.dyad.site else None,
            }
            for row in matrix.rows
        ],
        "cells": [
            {
                "dyad": cell.dyad.pk,
                "theme": cell.theme.theme.pk,
                "client": cell.client,
                "therapist": cell.therapist,
                "presence": cell.presence,
                "client_state": cell.client_state.value,
                "therapist_state": cell.therapist_state.value,
                "convergence": mark(cell),
            }
            for row in matrix.rows
            for cell in row.cells
        ],
    }


class MatrixConstituentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True)
    depth = serializers.IntegerField()
    codes = serializers.ListField(child=serializers.IntegerField())


class MatrixDyadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    therapist = serializers.CharField()
    client = serializers.CharField()
    site = serializers.CharField(allow_null=True)


class MatrixMarkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    verdict = serializers.ChoiceField(choices=ConvergenceVerdict.choices)
    note = serializers.CharField()
    version = serializers.IntegerField()


class MatrixCellSerializer(serializers.Serializer):
    dyad = serializers.IntegerField()
    theme = serializers.IntegerField()
    client = serializers.IntegerField()
    therapist = serializers.IntegerField()
    presence = serializers.ChoiceField(choices=["both", "client", "therapist", "neither"])
    client_state = serializers.ChoiceField(
        choices=list(SideState),
        help_text="present (count > 0); absent (every transcript of the side coded in the "
        "layer, none with a passage); not_coded (a transcript of the side not coded in the "
        "layer); not_interviewed (no transcript)",
    )
    therapist_state = serializers.ChoiceField(
        choices=list(SideState), help_text="as client_state, for the therapist's side"
    )
    convergence = MatrixMarkSerializer(allow_null=True)


class MatrixSerializer(serializers.Serializer):
    """The shape of the matrix response (built by `matrix_json`, a thousand cells fast)."""

    study = serializers.IntegerField()
    source = serializers.ChoiceField(choices=list(CodingSource))
    interviews = serializers.ChoiceField(choices=list(InterviewWave))
    constituents = MatrixConstituentSerializer(many=True)
    dyads = MatrixDyadSerializer(many=True)
    cells = MatrixCellSerializer(many=True)


MATRIX_PARAMETERS = [
    OpenApiParameter("site", int, description="Only the dyads of this site."),
    OpenApiParameter("therapist_gender", str),
    OpenApiParameter("client_gender", str),
    OpenApiParameter("orientation", str, description="The therapist's theoretical orientation."),
    OpenApiParameter(
        "interviews", str, enum=list(InterviewWave), description="Which interviews count."
    ),
    OpenApiParameter("sort", str, enum=list(SORTS)),
    OpenApiParameter(
        "source", str, enum=list(CodingSource), description="consensus (default) or all coders."
    ),
]


class MatrixView(APIView):
    """`GET /api/v1/studies/{id}/matrix/`: the dyad × constituent matrix.

    Query parameters as on the page: `site`, `therapist_gender`, `client_gender`,
    `orientation`, `interviews` (all, first, later), `sort`, `source` (consensus, all).
    """

    @extend_schema(parameters=MATRIX_PARAMETERS, responses=MatrixSerializer)
    def get(self, request, pk: int) -> Response:
        study, _ = study_access(request.user, pk, Action.VIEW_ANALYSIS)
        filters = MatrixFilters.from_query(request.query_params)
        matrix = dyad_matrix(user=request.user, study=study, filters=filters)
        return Response({"study": study.pk, **matrix_json(matrix)})


class QuoteSerializer(serializers.ModelSerializer):
    theme = StudyScopedField(Theme.objects.filter(retired_at__isnull=True))
    coding = StudyScopedField(Coding.objects.filter(deleted_at__isnull=True))
    meeting = StudyScopedField(
        MeetingRecord.objects.all(), required=False, allow_null=True, write_only=True
    )
    rationale = serializers.CharField(required=False, allow_blank=True, write_only=True)
    chosen_by = serializers.CharField(source="chosen_by.username", read_only=True)

    class Meta:
        model = ExemplaryQuote
        fields = [
            "id",
            "theme",
            "perspective",
            "coding",
            "position",
            "chosen_by",
            "chosen_at",
            "meeting",
            "rationale",
        ]
        read_only_fields = ["perspective", "position", "chosen_at"]


class QuoteViewSet(AnalysisViewSet, mixins.CreateModelMixin, mixins.DestroyModelMixin):
    """Exemplary quotes: POST `{theme, coding, meeting | rationale}`; DELETE with
    `meeting` or `rationale` in the body or the query."""

    queryset = ExemplaryQuote.objects.filter(removed_at__isnull=True).select_related("chosen_by")
    serializer_class = QuoteSerializer
    filterset_fields = ["theme", "perspective"]

    def create(self, request, *args, **kwargs):
        return self.created(theme_quote_add(actor=request.user, **self.validated()))

    def destroy(self, request, *args, **kwargs):
        serializer = DecisionContextSerializer(
            data={**request.query_params.dict(), **request.data},
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        theme_quote_remove(actor=request.user, quote=self.get_object(), **serializer.validated_data)
        return Response(status=204)


class ConvergenceSerializer(serializers.ModelSerializer):
    dyad = StudyScopedField(Dyad.objects.filter(deleted_at__isnull=True))
    theme = StudyScopedField(Theme.objects.filter(retired_at__isnull=True))
    verdict = serializers.ChoiceField(choices=ConvergenceVerdict.choices)
    marked_by = serializers.CharField(source="marked_by.username", read_only=True)
    version = serializers.IntegerField(required=False, min_value=1)

    class Meta:
        model = ConvergenceMark
        fields = ["id", "dyad", "theme", "verdict", "note", "marked_by", "updated_at", "version"]
        read_only_fields = ["updated_at"]
        validators = []


class ConvergenceViewSet(
    AnalysisViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin
):
    """Convergence marks: POST `{dyad, theme, verdict, note}` marks (or re-marks) a cell;
    PATCH `{verdict, note, version}`; DELETE `?version=` clears it."""

    queryset = ConvergenceMark.objects.filter(cleared_at__isnull=True).select_related("marked_by")
    serializer_class = ConvergenceSerializer
    filterset_fields = ["dyad", "theme", "verdict"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        return self.created(convergence_mark_set(actor=request.user, **self.validated()))

    def partial_update(self, request, *args, **kwargs):
        mark = self.get_object()
        data = self.validated(partial=True)
        mark = convergence_mark_set(
            actor=request.user,
            dyad=mark.dyad,
            theme=mark.theme,
            verdict=data.get("verdict", mark.verdict),
            note=data.get("note", mark.note),
            version=data.get("version"),
        )
        return Response(self.get_serializer(mark).data)

    def destroy(self, request, *args, **kwargs):
        convergence_mark_clear(
            actor=request.user, mark=self.get_object(), version=self.version_param()
        )
        return Response(status=204)


class CoverageSerializer(serializers.ModelSerializer):
    question = StudyScopedField(GuideQuestion.objects.all(), study_path="guide__study")
    revision = StudyScopedField(
        TranscriptRevision.objects.all(),
        study_path="transcript__interview__study",
        required=False,
    )
    coding = StudyScopedField(
        Coding.objects.filter(deleted_at__isnull=True), required=False, allow_null=True
    )
    start = serializers.IntegerField(required=False, min_value=0)
    end = serializers.IntegerField(required=False, min_value=1)
    marked_by = serializers.CharField(source="marked_by.username", read_only=True)

    class Meta:
        model = QuestionCoverage
        fields = [
            "id",
            "question",
            "interview",
            "revision",
            "start",
            "end",
            "coding",
            "marked_by",
            "created_at",
        ]
        read_only_fields = ["interview", "created_at"]


class CoverageViewSet(AnalysisViewSet, mixins.CreateModelMixin, mixins.DestroyModelMixin):
    """Guide coverage: POST `{question, revision, start, end}` or `{question, coding}`
    marks where a guide question was asked; DELETE withdraws the mark."""

    queryset = QuestionCoverage.objects.filter(deleted_at__isnull=True).select_related("marked_by")
    serializer_class = CoverageSerializer
    filterset_fields = ["interview", "question"]

    def create(self, request, *args, **kwargs):
        return self.created(coverage_mark(actor=request.user, **self.validated()))

    def destroy(self, request, *args, **kwargs):
        coverage_unmark(actor=request.user, coverage=self.get_object())
        return Response(status=204)


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


class ThemeViewSet(AnalysisViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    queryset = Theme.objects.filter(retired_at__isnull=True).prefetch_related("codes")
    serializer_class = ThemeSerializer
    filterset_fields = ["parent", "level"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def partial_update(self, request, *args, **kwargs):
        """Revise, relink or move the theme, with `meeting` or `rationale` (a Decision)."""
        data = self.validated(partial=True)
        data.pop("study", None)
        theme = themes.theme_update(
            actor=request.user, theme=self.get_object(), version=self.version_param(), **data
        )
        return Response(self.get_serializer(theme).data)

    def create(self, request, *args, **kwargs):
        return self.created(themes.theme_create(actor=request.user, **self.validated()))
