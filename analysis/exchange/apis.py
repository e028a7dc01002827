"""The exchange API: start exports and imports, follow their jobs, confirm previews,
download results. Each view translates the request and calls one service.

POST /api/v1/studies/{id}/exports/ {format, code?}       -> 202 job
POST /api/v1/studies/{id}/imports/ multipart {format, file} -> 202 job (its preview)
GET  /api/v1/exchange-jobs/?study=, /api/v1/exchange-jobs/{id}/
POST /api/v1/exchange-jobs/{id}/confirm/ {mapping, users} -> 202 job
GET  /api/v1/exchange-jobs/{id}/download/
POST /api/v1/participants/{id}/erase/ {pseudonym, reason}  -> 200 {deleted}
POST /api/v1/transcripts/{id}/redact/ {text, replacement?} -> 200 counts
A job is visible to the member who started it only: an export holds what that
member may see (blind codings stay blind).
"""

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from analysis.exchange.models import ExchangeJob, ExchangeState
from analysis.exchange.services.erasure import ErasureReason, participant_erase
from analysis.exchange.services.redaction import DEFAULT_REPLACEMENT, transcript_redact
from analysis.exchange.services.runner import download_name
from analysis.exchange.services.transfers import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    exchange_export_start,
    exchange_import_confirm,
    exchange_import_start,
)
from dyads.apibase import ReadViewSet
from dyads.exceptions import NotFound
from dyads.models import Participant
from dyads.permissions import Action, studies_where, study_access
from interviews.models import Transcript


class ExchangeJobSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = ExchangeJob
        fields = [
            "id",
            "study",
            "kind",
            "format",
            "state",
            "progress",
            "error",
            "options",
            "preview",
            "result",
            "file_name",
            "created_at",
            "finished_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, job: ExchangeJob) -> str | None:
        if job.state != ExchangeState.SUCCEEDED or not job.output:
            return None
        return reverse("exchangejob-download", args=[job.pk])


class ExportSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=[str(f) for f in EXPORT_FORMATS])
    code = serializers.IntegerField(required=False, help_text="For excerpts_docx: one code.")


class ImportSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=[str(f) for f in IMPORT_FORMATS])
    file = serializers.FileField()


class ConfirmSerializer(serializers.Serializer):
    mapping = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text="Source GUID -> interview:ID, participant:ID, case:GUID or skip.",
    )
    users = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text="File user (GUID or name) -> a study member's username, or 'new' for an "
        "imported coder of their own.",
    )


def _accepted(job: ExchangeJob) -> Response:
    return Response(ExchangeJobSerializer(job).data, status=202)


class StudyExportView(APIView):
    @extend_schema(request=ExportSerializer, responses={202: ExchangeJobSerializer})
    def post(self, request, pk: int):
        study, _ = study_access(request.user, pk, Action.VIEW_STUDY)
        data = ExportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        options = {"code": data.validated_data["code"]} if "code" in data.validated_data else {}
        job = exchange_export_start(
            actor=request.user,
            study=study,
            format=data.validated_data["format"],
            options=options,
            request=request,
        )
        return _accepted(job)


class StudyImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=ImportSerializer, responses={202: ExchangeJobSerializer})
    def post(self, request, pk: int):
        study, _ = study_access(request.user, pk, Action.VIEW_STUDY)
        data = ImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = exchange_import_start(
            actor=request.user,
            study=study,
            format=data.validated_data["format"],
            upload=data.validated_data["file"],
        )
        return _accepted(job)


class ExchangeJobViewSet(ReadViewSet):
    queryset = ExchangeJob.objects.all()
    serializer_class = ExchangeJobSerializer
    filterset_fields = ["kind", "format", "state"]

    def get_queryset(self):
        return super().get_queryset().filter(created_by=self.request.user)

    @extend_schema(request=ConfirmSerializer, responses={202: ExchangeJobSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        data = ConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = exchange_import_confirm(
            actor=request.user,
            job=self.get_object(),
            mapping=data.validated_data.get("mapping"),
            users=data.validated_data.get("users"),
        )
        return _accepted(job)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        if job.state != ExchangeState.SUCCEEDED or not job.output:
            raise NotFound("This job has no file to download.")
        return FileResponse(job.output.open("rb"), as_attachment=True, filename=download_name(job))


class ErasureRequestSerializer(serializers.Serializer):
    pseudonym = serializers.CharField(help_text="The participant's pseudonym, as a confirmation.")
    reason = serializers.ChoiceField(choices=ErasureReason.choices)


class ErasureResultSerializer(serializers.Serializer):
    deleted = serializers.DictField(child=serializers.IntegerField())


class ParticipantErasureView(GenericAPIView):
    """POST: erase a participant who withdrew consent (owners only; cannot be undone)."""

    serializer_class = ErasureRequestSerializer
    queryset = Participant.objects.filter(erased_at__isnull=True)

    def get_queryset(self):
        return self.queryset.filter(study__in=studies_where(self.request.user, Action.VIEW_STUDY))

    @extend_schema(request=ErasureRequestSerializer, responses={200: ErasureResultSerializer})
    def post(self, request, pk: int):
        participant = self.get_object()
        serializer = ErasureRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        counts = participant_erase(
            actor=request.user, participant=participant, **serializer.validated_data
        )
        return Response({"deleted": counts})


class RedactionRequestSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=500,
        trim_whitespace=False,
        help_text="The words to redact, exactly (letter case counts).",
    )
    replacement = serializers.CharField(max_length=200, required=False, default=DEFAULT_REPLACEMENT)


class RedactionResultSerializer(serializers.Serializer):
    revisions = serializers.IntegerField()
    occurrences = serializers.IntegerField()
    quoting_records = serializers.IntegerField()
    exchange_files = serializers.IntegerField()
    audit_events = serializers.IntegerField()


class TranscriptRedactionView(GenericAPIView):
    """POST: redact words found in a transcript after import (owners only; cannot be undone)."""

    serializer_class = RedactionRequestSerializer
    queryset = Transcript.objects.filter(interview__deleted_at__isnull=True)

    def get_queryset(self):
        return self.queryset.filter(
            interview__study__in=studies_where(self.request.user, Action.VIEW_STUDY)
        )

    @extend_schema(request=RedactionRequestSerializer, responses={200: RedactionResultSerializer})
    def post(self, request, pk: int):
        transcript = self.get_object()
        serializer = RedactionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = transcript_redact(
            actor=request.user, transcript=transcript, **serializer.validated_data
        )
        return Response(RedactionResultSerializer(result).data)
