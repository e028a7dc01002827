from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from dyads.access import access_log_record
from dyads.apibase import ReadViewSet
from dyads.models import AccessAction
from dyads.permissions import Action, study_access

from . import services
from .models import (
    GuideQuestion,
    ImportJob,
    Interview,
    InterviewGuide,
    ProposalState,
    PseudonymProposal,
    PseudonymReplacement,
    SpeakerTurn,
    Transcript,
)
from .selectors import file_preview
from .serializers import (
    AudioRecordingSerializer,
    AudioUploadSerializer,
    GuideQuestionSerializer,
    GuideSerializer,
    ImportJobSerializer,
    InterviewSerializer,
    ProposalAcceptSerializer,
    PseudonymProposalSerializer,
    PseudonymReplacementSerializer,
    TranscriptBatchSerializer,
    TranscriptPreviewSerializer,
    TranscriptSerializer,
    TranscriptUploadSerializer,
    preview_data,
)
from .services.audio import audio_attach
from .services.batches import import_batch_run
from .services.imports import transcript_import
from .services.pseudonyms import (
    proposal_accept,
    proposal_create,
    proposal_reject,
    replacement_create,
    replacement_delete,
    replacement_update,
)


class InterviewViewSet(
    ReadViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin
):
    queryset = Interview.objects.filter(deleted_at__isnull=True).select_related(
        "interviewer", "transcript"
    )
    serializer_class = InterviewSerializer
    filterset_fields = ["participant", "dyad", "focus", "timing", "sequence_number"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = self.validated()
        data.pop("version", None)
        return self.created(services.interview_create(actor=request.user, **data))

    def partial_update(self, request, *args, **kwargs):
        data = self.validated(partial=True)
        data.pop("participant", None)
        interview = services.interview_update(
            actor=request.user, interview=self.get_object(), **data
        )
        return Response(self.get_serializer(interview).data)

    def destroy(self, request, *args, **kwargs):
        interview = self.get_object()
        services.interview_delete(
            actor=request.user, interview=interview, version=self.version_param()
        )
        return Response(status=204)

    @action(
        detail=True,
        methods=["post"],
        serializer_class=TranscriptUploadSerializer,
        parser_classes=[MultiPartParser, FormParser],
    )
    def transcripts(self, request, pk=None):
        """Import a transcript file (multipart `file`): 202 with the queued import job."""
        data = self.validated()
        job = transcript_import(
            actor=request.user,
            interview=self.get_object(),
            file_name=data["file"].name,
            content=data["file"].read(),
            speaker_roles=data.get("speaker_roles"),
            names_reviewed=data["names_reviewed"],
        )
        return Response(ImportJobSerializer(job).data, status=202)

    @action(
        detail=True,
        methods=["post"],
        serializer_class=TranscriptPreviewSerializer,
        parser_classes=[MultiPartParser, FormParser],
    )
    def preview(self, request, pk=None):
        """What importing a file (multipart `file`) would store and the possible names not
        on the list: near misses and name candidates. Nothing is stored."""
        interview = self.get_object()
        study, _ = study_access(request.user, interview.study, Action.IMPORT_TRANSCRIPTS)
        file = self.validated()["file"]
        preview = file_preview(study=study, file_name=file.name, content=file.read())
        held = study.require_name_review and bool(preview.names_to_review)
        return Response(preview_data(preview, file_name=file.name, held_for_review=held))

    @action(
        detail=True,
        methods=["post"],
        serializer_class=AudioUploadSerializer,
        parser_classes=[MultiPartParser, FormParser],
    )
    def audio(self, request, pk=None):
        """Attach the interview's recording (multipart `file`: mp3, m4a, wav or ogg)."""
        file = self.validated()["file"]
        audio = audio_attach(
            actor=request.user,
            interview=self.get_object(),
            file_name=file.name,
            content=file.read(),
        )
        return Response(AudioRecordingSerializer(audio).data, status=201)


class TranscriptViewSet(ReadViewSet):
    queryset = (
        Transcript.objects.select_related("current_revision", "interview")
        .order_by("pk")
        .prefetch_related(
            Prefetch("current_revision__turns", queryset=SpeakerTurn.objects.order_by("index"))
        )
    )
    serializer_class = TranscriptSerializer
    study_path = "interview__study"

    def retrieve(self, request, *args, **kwargs):
        transcript = self.get_object()
        access_log_record(
            user=request.user,
            study=transcript.interview.study_id,
            action=AccessAction.READ_TRANSCRIPT,
            target=transcript,
            request=request,
        )
        return Response(self.get_serializer(transcript).data)


class GuideViewSet(ReadViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Interview guides: study-wide questions, and questions tailored to one participant."""

    queryset = InterviewGuide.objects.prefetch_related(
        Prefetch("questions", queryset=GuideQuestion.objects.order_by("position"))
    )
    serializer_class = GuideSerializer
    filterset_fields = ["role", "focus"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = self.validated()
        data.pop("version", None)
        data["questions"] = data.pop("question_texts", [])
        return self.created(services.guide_create(actor=request.user, **data))

    def partial_update(self, request, *args, **kwargs):
        data = self.validated(partial=True)
        for read_only in ("study", "question_texts"):
            data.pop(read_only, None)
        guide = services.guide_update(actor=request.user, guide=self.get_object(), **data)
        return Response(self.get_serializer(guide).data)

    @action(detail=True, methods=["post"], serializer_class=GuideQuestionSerializer)
    def questions(self, request, pk=None):
        """Append a question; with `participant`, it is tailored to that person."""
        question = services.guide_question_add(
            actor=request.user, guide=self.get_object(), **self.validated()
        )
        return Response(GuideQuestionSerializer(question).data, status=201)


class ImportJobPagination(PageNumberPagination):
    """A bulk import's page asks for all of its jobs at once (`page_size`, up to 500)."""

    page_size_query_param = "page_size"
    max_page_size = 500


class ImportJobViewSet(ReadViewSet):
    """Transcript import jobs: state, progress, error and what was pseudonymised."""

    queryset = ImportJob.objects.order_by("-created_at", "-pk")
    serializer_class = ImportJobSerializer
    filterset_fields = ["interview", "state", "batch"]
    pagination_class = ImportJobPagination


class StudyTranscriptBatchView(APIView):
    """Many transcript files, or one .zip, in one request: each matched to its interview
    by the file-name pattern and imported by its own job (the bulk import page's two
    steps at once). 202 with the jobs and the files refused, each with its reason."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=TranscriptBatchSerializer,
        responses={
            202: inline_serializer(
                "TranscriptBatchAccepted",
                {
                    "batch": serializers.IntegerField(),
                    "jobs": ImportJobSerializer(many=True),
                    "refused": serializers.ListField(child=serializers.DictField()),
                },
            )
        },
    )
    def post(self, request, pk: int):
        study, _ = study_access(request.user, pk, Action.IMPORT_TRANSCRIPTS)
        data = TranscriptBatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        batch, jobs = import_batch_run(
            actor=request.user,
            study=study,
            files=[(file.name, file.read()) for file in data.validated_data["files"]],
            pattern=data.validated_data["pattern"],
        )
        return Response(
            {
                "batch": batch.pk,
                "jobs": ImportJobSerializer(jobs, many=True).data,
                "refused": batch.refused,
            },
            status=202,
        )


class PseudonymReplacementViewSet(
    ReadViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin
):
    """The study's pseudonym list (it holds the real names): owners change it, interviewers
    read it."""

    queryset = PseudonymReplacement.objects.filter(deleted_at__isnull=True)
    serializer_class = PseudonymReplacementSerializer
    read_action = Action.VIEW_PSEUDONYMS
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = self.validated()
        data.pop("version", None)
        return self.created(replacement_create(actor=request.user, **data))

    def partial_update(self, request, *args, **kwargs):
        data = self.validated(partial=True)
        data.pop("study", None)
        entry = replacement_update(actor=request.user, entry=self.get_object(), **data)
        return Response(self.get_serializer(entry).data)

    def destroy(self, request, *args, **kwargs):
        replacement_delete(actor=request.user, entry=self.get_object())
        return Response(status=204)


class PseudonymProposalViewSet(ReadViewSet, mixins.CreateModelMixin):
    """Open proposals for the pseudonym list: interviewers propose, owners accept or reject."""

    queryset = PseudonymProposal.objects.filter(state=ProposalState.PROPOSED).select_related(
        "proposed_by"
    )
    serializer_class = PseudonymProposalSerializer
    read_action = Action.VIEW_PSEUDONYMS
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = self.validated()
        return self.created(proposal_create(actor=request.user, **data))

    @action(detail=True, methods=["post"], serializer_class=ProposalAcceptSerializer)
    def accept(self, request, pk=None):
        """Add the proposed name to the list (owners): 201 with the list's new entry."""
        entry = proposal_accept(actor=request.user, proposal=self.get_object(), **self.validated())
        return Response(PseudonymReplacementSerializer(entry).data, status=201)

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        proposal = proposal_reject(actor=request.user, proposal=self.get_object())
        return Response(self.get_serializer(proposal).data)
