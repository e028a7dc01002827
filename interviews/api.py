from django.db.models import Prefetch
from rest_framework import mixins
from rest_framework.response import Response

from dyads.apibase import ReadViewSet

from . import services
from .models import Interview, SpeakerTurn, Transcript
from .serializers import InterviewSerializer, TranscriptSerializer


class InterviewViewSet(ReadViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    queryset = Interview.objects.filter(deleted_at__isnull=True).select_related(
        "interviewer", "transcript"
    )
    serializer_class = InterviewSerializer
    filterset_fields = ["participant", "dyad", "focus", "timing", "sequence_number"]
    http_method_names = ["get", "post", "patch", "head", "options"]

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


class TranscriptViewSet(ReadViewSet):
    queryset = Transcript.objects.select_related("current_revision").prefetch_related(
        Prefetch("current_revision__turns", queryset=SpeakerTurn.objects.order_by("index"))
    )
    serializer_class = TranscriptSerializer
    study_path = "interview__study"
