from django_filters import rest_framework as filters
from rest_framework import mixins
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.response import Response

from . import services
from .apibase import ReadViewSet
from .models import AuditEvent, Dyad, Participant, Site, Study, StudyMembership
from .permissions import Action
from .serializers import (
    AuditEventSerializer,
    DyadSerializer,
    MembershipSerializer,
    MembershipWriteSerializer,
    ParticipantSerializer,
    SiteSerializer,
    StudySerializer,
    StudyUpdateSerializer,
)


class StudyViewSet(ReadViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    queryset = Study.objects.prefetch_related("memberships").order_by("title")
    serializer_class = StudySerializer
    study_path = "pk"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = self.validated(StudySerializer)
        data.pop("version", None)
        return self.created(services.study_create(actor=request.user, **data))

    def partial_update(self, request, *args, **kwargs):
        data = self.validated(StudyUpdateSerializer, partial=True)
        study = services.study_update(actor=request.user, study=self.get_object(), **data)
        return Response(self.get_serializer(study).data)

    @action(detail=True, methods=["get", "post"], serializer_class=MembershipSerializer)
    def members(self, request, pk=None):
        study = self.get_object()
        if request.method == "POST":
            data = self.validated(MembershipWriteSerializer)
            membership = services.membership_set(actor=request.user, study=study, **data)
            return Response(MembershipSerializer(membership).data, status=201)
        memberships = StudyMembership.objects.filter(
            study=study, removed_at__isnull=True
        ).select_related("user")
        page = self.paginate_queryset(memberships.order_by("user__username"))
        return self.get_paginated_response(MembershipSerializer(page, many=True).data)


class SiteViewSet(ReadViewSet, mixins.CreateModelMixin):
    queryset = Site.objects.all()
    serializer_class = SiteSerializer

    def create(self, request, *args, **kwargs):
        return self.created(services.site_create(actor=request.user, **self.validated()))


class ParticipantFilter(filters.FilterSet):
    class Meta:
        model = Participant
        fields = ["role", "site", "gender"]


class ParticipantViewSet(ReadViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    queryset = Participant.objects.filter(deleted_at__isnull=True)
    serializer_class = ParticipantSerializer
    filterset_class = ParticipantFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = self.validated()
        data.pop("version", None)
        return self.created(services.participant_create(actor=request.user, **data))

    def partial_update(self, request, *args, **kwargs):
        data = self.validated(partial=True)
        data.pop("study", None)
        data.pop("role", None)
        participant = services.participant_update(
            actor=request.user, participant=self.get_object(), **data
        )
        return Response(self.get_serializer(participant).data)


class DyadViewSet(ReadViewSet, mixins.CreateModelMixin):
    queryset = Dyad.objects.filter(deleted_at__isnull=True)
    serializer_class = DyadSerializer
    filterset_fields = ["site"]

    def create(self, request, *args, **kwargs):
        return self.created(services.dyad_create(actor=request.user, **self.validated()))


class AuditEventViewSet(ReadViewSet):
    queryset = AuditEvent.objects.select_related("actor").order_by("study", "-sequence")
    serializer_class = AuditEventSerializer
    read_action = Action.VIEW_AUDIT
    filterset_fields = ["object_type", "object_id", "action"]

    def get_queryset(self):
        queryset = super().get_queryset()
        actor = self.request.query_params.get("actor")
        if actor:
            lookup = "actor_id" if actor.isdigit() else "actor__username"
            queryset = queryset.filter(**{lookup: actor})
        return queryset


class TokenView(ObtainAuthToken):
    """POST {username, password} for a token; DELETE revokes the caller's token."""

    def delete(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return Response(status=401)
        Token.objects.filter(user=request.user).delete()
        return Response(status=204)
