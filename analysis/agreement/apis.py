"""The agreement API: coefficients and their drift, disagreements, resolutions,
meeting agendas, the consensus layer and calibration.

Registered in config/api_urls.py. Views parse, call one selector or service,
and render; the rules live in analysis.agreement_queries,
analysis.consensus_queries, analysis.calibration_queries and the services.
"""

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, renderers
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from analysis.agreement.models import (
    AgendaDisagreement,
    CalibrationAttempt,
    CalibrationReference,
    Resolution,
)
from analysis.agreement.selectors.calibration import calibration_result, check_result_visible
from analysis.agreement.selectors.consensus import consensus_codings
from analysis.agreement.selectors.disagreements import (
    disagreement_queue,
    passage_texts,
    session_passages,
)
from analysis.agreement.selectors.reports import agreement_drift, agreement_report
from analysis.agreement.selectors.scope import Unit, agreement_scope, check_comparable, parse_unit
from analysis.agreement.serializers import (
    AgendaAddSerializer,
    AgendaDisagreementSerializer,
    AgreementReportSerializer,
    CalibrationAttemptSerializer,
    CalibrationReferenceSerializer,
    CalibrationResultSerializer,
    ConsensusSpanSerializer,
    DisagreementQuerySerializer,
    DisagreementSerializer,
    DriftSerializer,
    ReasonSerializer,
    ResolutionCreateSerializer,
    ResolutionSerializer,
)
from analysis.agreement.services.adjudication import (
    disagreement_resolve,
    disagreements_to_agenda,
    resolution_withdraw,
)
from analysis.agreement.services.calibration import (
    calibration_attempt_start,
    calibration_attempt_submit,
    calibration_reference_create,
)
from analysis.agreement.tables import TABLES, agreement_csv, agreement_xlsx, check_table
from analysis.coding.models import CodingSession
from dyads.apibase import ReadViewSet
from dyads.csvfile import csv_text
from dyads.exceptions import NotFound
from dyads.permissions import Action, studies_where, study_access


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = renderer_context["response"]
        if response.status_code >= 400:
            return csv_text(["field", "message"], data.items())
        table = check_table(renderer_context["request"].query_params.get("table"))
        response["Content-Disposition"] = f'attachment; filename="agreement-{table}.csv"'
        return agreement_csv(data, table)


class XLSXRenderer(renderers.BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = renderer_context["response"]
        if response.status_code >= 400:
            response["Content-Type"] = "application/json"
            return renderers.JSONRenderer().render(data)
        response["Content-Disposition"] = 'attachment; filename="agreement.xlsx"'
        return agreement_xlsx(data)


def listed(params, name: str) -> list[str] | None:
    """A list parameter given repeated (`?coders=a&coders=b`) or comma-separated."""
    values = [part.strip() for value in params.getlist(name) for part in value.split(",")]
    return [value for value in values if value] or None


SCOPE_PARAMETERS = [
    OpenApiParameter("session", OpenApiTypes.INT, description="A coding session of the study."),
    OpenApiParameter("unit", OpenApiTypes.STR, enum=Unit.values),
    OpenApiParameter("coders", OpenApiTypes.STR, description="Usernames, comma-separated."),
    OpenApiParameter("transcripts", OpenApiTypes.STR, description="Ids, comma-separated."),
    OpenApiParameter("table", OpenApiTypes.STR, enum=list(TABLES), description="For CSV."),
]


class StudyAgreementView(GenericAPIView):
    """Inter-coder agreement of a session or of chosen transcripts and coders.

    `?format=csv&table=codes|pairs|transcripts` and `?format=xlsx` download the tables.
    """

    serializer_class = AgreementReportSerializer
    renderer_classes = [
        renderers.JSONRenderer,
        renderers.BrowsableAPIRenderer,
        CSVRenderer,
        XLSXRenderer,
    ]

    @extend_schema(parameters=SCOPE_PARAMETERS)
    def get(self, request, pk):
        study, role = study_access(request.user, pk, Action.VIEW_ANALYSIS)
        params = request.query_params
        check_table(params.get("table"))
        scope = agreement_scope(
            user=request.user,
            role=role,
            study=study,
            session=params.get("session"),
            unit=params.get("unit"),
            coders=listed(params, "coders"),
            transcripts=listed(params, "transcripts"),
        )
        report = agreement_report(user=request.user, scope=scope)
        return Response(AgreementReportSerializer(report).data)


class StudyAgreementDriftView(GenericAPIView):
    """Agreement per closed coding session (round), oldest first."""

    serializer_class = DriftSerializer

    @extend_schema(parameters=[SCOPE_PARAMETERS[1]])
    def get(self, request, pk):
        study, _ = study_access(request.user, pk, Action.VIEW_ANALYSIS)
        unit = parse_unit(request.query_params.get("unit"))
        return Response(DriftSerializer(agreement_drift(study=study, unit=unit)).data)


# Disagreements and the consensus layer -----------------------------------------------


def comparable_session(request, session_id: int) -> CodingSession:
    """The session if the user may compare its coders, else NotFound/Forbidden."""
    session = (
        CodingSession.objects.filter(
            pk=session_id, study__in=studies_where(request.user, Action.VIEW_ANALYSIS)
        )
        .select_related("study")
        .first()
    )
    if session is None:
        raise NotFound("No such coding session.")
    _, role = study_access(request.user, session.study, Action.VIEW_ANALYSIS)
    check_comparable(user=request.user, role=role, session=session)
    return session


class DisagreementListView(GenericAPIView):
    """The disagreements of a session: `?session=` (required), `code`, `state`, `order`."""

    serializer_class = DisagreementSerializer

    @extend_schema(parameters=[DisagreementQuerySerializer])
    def get(self, request):
        query = DisagreementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        options = query.validated_data
        session = comparable_session(request, options["session"])
        queue = disagreement_queue(
            session_passages(session=session),
            code=options.get("code"),
            state=options["state"],
            order=options["order"],
        )
        page = self.paginate_queryset(queue)
        context = {"texts": passage_texts(page)}
        return self.get_paginated_response(
            DisagreementSerializer(page, many=True, context=context).data
        )


class StudyConsensusView(GenericAPIView):
    """The study's consensus layer (what themes and reports use), in text order."""

    serializer_class = ConsensusSpanSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unresolved", OpenApiTypes.BOOL, description="Include unresolved (default yes)."
            )
        ]
    )
    def get(self, request, pk):
        study, _ = study_access(request.user, pk, Action.VIEW_ANALYSIS)
        include = request.query_params.get("unresolved", "true").lower() not in ("0", "false")
        spans = consensus_codings(study=study, include_unresolved=include)
        page = self.paginate_queryset(spans)
        return self.get_paginated_response(ConsensusSpanSerializer(page, many=True).data)


class ResolutionViewSet(ReadViewSet, mixins.CreateModelMixin):
    """Resolutions of disagreements; `POST` settles one, `withdraw` takes it back."""

    read_action = Action.VIEW_ANALYSIS
    queryset = Resolution.objects.select_related(
        "coder", "resolved_by", "withdrawn_by"
    ).prefetch_related("source_codings")
    serializer_class = ResolutionSerializer
    filterset_fields = ["session", "revision", "code", "kind"]

    @extend_schema(request=ResolutionCreateSerializer, responses={201: ResolutionSerializer})
    def create(self, request, *args, **kwargs):
        """201 with the new resolution; 200 with the same one when it already exists."""
        resolution, created = disagreement_resolve(
            actor=request.user, **self.validated(ResolutionCreateSerializer)
        )
        return Response(self.get_serializer(resolution).data, status=201 if created else 200)

    @extend_schema(request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        data = self.validated(ReasonSerializer)
        resolution = resolution_withdraw(actor=request.user, resolution=self.get_object(), **data)
        return Response(self.get_serializer(resolution).data)


class AgendaDisagreementViewSet(ReadViewSet, mixins.CreateModelMixin):
    """Disagreements on meeting agendas; `POST` puts a session's on one, in one action."""

    read_action = Action.VIEW_ANALYSIS
    study_path = "meeting__study"
    queryset = AgendaDisagreement.objects.select_related("added_by")
    serializer_class = AgendaDisagreementSerializer
    filterset_fields = ["meeting", "session"]

    @extend_schema(
        request=AgendaAddSerializer, responses={201: AgendaDisagreementSerializer(many=True)}
    )
    def create(self, request, *args, **kwargs):
        data = self.validated(AgendaAddSerializer)
        if data["passages"] is not None:
            data["passages"] = [tuple(key) for key in data["passages"]]
        items = disagreements_to_agenda(actor=request.user, **data)
        return Response(self.get_serializer(items, many=True).data, status=201 if items else 200)


# Calibration -----------------------------------------------------------------------


class CalibrationReferenceViewSet(ReadViewSet, mixins.CreateModelMixin):
    """Coded transcripts new coders are measured against; owners mark them."""

    read_action = Action.VIEW_ANALYSIS
    queryset = CalibrationReference.objects.filter(retired_at__isnull=True).select_related(
        "coder", "created_by"
    )
    serializer_class = CalibrationReferenceSerializer

    def create(self, request, *args, **kwargs):
        return self.created(calibration_reference_create(actor=request.user, **self.validated()))


class CalibrationAttemptViewSet(ReadViewSet, mixins.CreateModelMixin):
    """Trainees' blind attempts at a reference: owners start them, trainees submit."""

    read_action = Action.VIEW_ANALYSIS
    queryset = CalibrationAttempt.objects.select_related("trainee", "created_by")
    serializer_class = CalibrationAttemptSerializer
    filterset_fields = ["reference", "trainee"]

    def get_queryset(self):
        user = self.request.user
        supervised = studies_where(user, Action.VIEW_AUDIT)
        return super().get_queryset().filter(Q(trainee=user) | Q(study__in=supervised))

    def create(self, request, *args, **kwargs):
        return self.created(calibration_attempt_start(actor=request.user, **self.validated()))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        attempt = calibration_attempt_submit(actor=request.user, attempt=self.get_object())
        return Response(self.get_serializer(attempt).data)

    @extend_schema(
        parameters=[SCOPE_PARAMETERS[1]], responses=CalibrationResultSerializer, request=None
    )
    @action(detail=True, methods=["get"], serializer_class=CalibrationResultSerializer)
    def result(self, request, pk=None):
        attempt = self.get_object()
        _, role = study_access(request.user, attempt.study, Action.VIEW_ANALYSIS)
        check_result_visible(user=request.user, role=role, attempt=attempt)
        unit = parse_unit(request.query_params.get("unit"))
        result = calibration_result(attempt=attempt, unit=unit)
        texts = passage_texts([*result.missed, *result.extra, *result.bounded])
        return Response(CalibrationResultSerializer(result, context={"texts": texts}).data)
