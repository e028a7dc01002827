from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from . import services, twofactor
from .apibase import ReadViewSet
from .exceptions import DomainError
from .invitations import invitation_create, invitation_revoke
from .models import (
    AccessEvent,
    AuditEvent,
    Dyad,
    Invitation,
    Participant,
    RecruitmentEvent,
    Site,
    Study,
    StudyMembership,
)
from .network import client_ip
from .permissions import Action, study_access
from .selectors import filter_by_user
from .serializers import (
    AccessEventSerializer,
    AuditEventSerializer,
    DyadSerializer,
    DyadUpdateSerializer,
    InvitationSerializer,
    MembershipRoleSerializer,
    MembershipSerializer,
    MembershipWriteSerializer,
    ParticipantSerializer,
    RecruitmentEventSerializer,
    SiteSerializer,
    SiteUpdateSerializer,
    StudySerializer,
    StudyUpdateSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)


class StudyViewSet(ReadViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    queryset = Study.objects.prefetch_related("memberships").order_by("title")
    serializer_class = StudySerializer
    study_path = "pk"
    # DELETE serves the member and invitation actions; a study itself is not deleted.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

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

    @extend_schema(methods=["PATCH"], request=MembershipRoleSerializer)
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"members/(?P<membership_id>\d+)",
        serializer_class=MembershipSerializer,
    )
    def member(self, request, pk=None, membership_id=None):
        """PATCH {role} changes a member's role; DELETE ends the membership (owners only)."""
        study = self.get_object()
        study_access(request.user, study, Action.MANAGE_STUDY)
        membership = get_object_or_404(
            StudyMembership.objects.select_related("user"),
            study=study,
            pk=membership_id,
            removed_at__isnull=True,
        )
        if request.method == "DELETE":
            services.membership_remove(actor=request.user, membership=membership)
            return Response(status=204)
        role = self.validated(MembershipRoleSerializer)["role"]
        membership = services.membership_set(
            actor=request.user, study=study, username=membership.user.username, role=role
        )
        return Response(MembershipSerializer(membership).data)

    @action(detail=True, methods=["get", "post"], serializer_class=InvitationSerializer)
    def invitations(self, request, pk=None):
        """Owners list the study's invitations and invite an e-mail address with a role."""
        study = self.get_object()
        study_access(request.user, study, Action.MANAGE_STUDY)
        if request.method == "POST":
            data = self.validated(InvitationSerializer)
            invitation = invitation_create(
                actor=request.user, study=study, site_url=request.build_absolute_uri("/"), **data
            )
            return Response(InvitationSerializer(invitation).data, status=201)
        invitations = Invitation.objects.filter(study=study).select_related("invited_by")
        page = self.paginate_queryset(invitations.order_by("-created_at", "-id"))
        return self.get_paginated_response(InvitationSerializer(page, many=True).data)

    @action(
        detail=True,
        methods=["delete"],
        url_path=r"invitations/(?P<invitation_id>\d+)",
        serializer_class=InvitationSerializer,
    )
    def invitation(self, request, pk=None, invitation_id=None):
        """DELETE revokes an invitation that has not been used."""
        study = self.get_object()
        study_access(request.user, study, Action.MANAGE_STUDY)
        invitation = get_object_or_404(Invitation, study=study, pk=invitation_id)
        invitation_revoke(actor=request.user, invitation=invitation)
        return Response(status=204)


class SiteViewSet(
    ReadViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin
):
    queryset = Site.objects.filter(deleted_at__isnull=True)
    serializer_class = SiteSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        return self.created(services.site_create(actor=request.user, **self.validated()))

    @extend_schema(request=SiteUpdateSerializer)
    def partial_update(self, request, *args, **kwargs):
        data = self.validated(SiteUpdateSerializer, partial=True)
        site = services.site_update(actor=request.user, site=self.get_object(), **data)
        return Response(self.get_serializer(site).data)

    def destroy(self, request, *args, **kwargs):
        services.site_delete(actor=request.user, site=self.get_object())
        return Response(status=204)


class ParticipantFilter(filters.FilterSet):
    class Meta:
        model = Participant
        fields = ["role", "site", "gender"]


class ParticipantViewSet(
    ReadViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin
):
    queryset = Participant.objects.filter(deleted_at__isnull=True)
    serializer_class = ParticipantSerializer
    filterset_class = ParticipantFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

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

    def destroy(self, request, *args, **kwargs):
        """Remove a participant entered by mistake; withdrawn consent is `erase` instead."""
        participant = self.get_object()
        services.participant_delete(
            actor=request.user, participant=participant, version=self.version_param()
        )
        return Response(status=204)


class DyadViewSet(
    ReadViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin
):
    queryset = Dyad.objects.filter(deleted_at__isnull=True)
    serializer_class = DyadSerializer
    filterset_fields = ["site"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        return self.created(services.dyad_create(actor=request.user, **self.validated()))

    @extend_schema(request=DyadUpdateSerializer)
    def partial_update(self, request, *args, **kwargs):
        data = self.validated(DyadUpdateSerializer, partial=True)
        dyad = services.dyad_update(actor=request.user, dyad=self.get_object(), **data)
        return Response(self.get_serializer(dyad).data)

    def destroy(self, request, *args, **kwargs):
        dyad = self.get_object()
        services.dyad_delete(actor=request.user, dyad=dyad, version=self.version_param())
        return Response(status=204)


class RecruitmentEventViewSet(ReadViewSet, mixins.CreateModelMixin):
    """The recruitment log (invited, recruited, dropped out with a reason) of a study."""

    queryset = RecruitmentEvent.objects.all()
    serializer_class = RecruitmentEventSerializer
    filterset_fields = ["step", "role", "site", "participant"]

    def create(self, request, *args, **kwargs):
        event = services.recruitment_event_record(actor=request.user, **self.validated())
        return self.created(event)


class AccessEventViewSet(ReadViewSet):
    """Who read which transcript and exported what (owners and auditors)."""

    queryset = AccessEvent.objects.select_related("user").order_by("-created_at", "-id")
    serializer_class = AccessEventSerializer
    read_action = Action.VIEW_AUDIT
    filterset_fields = ["action", "object_type", "object_id"]

    def get_queryset(self):
        return filter_by_user(super().get_queryset(), "user", self.request.query_params.get("user"))


class AuditEventViewSet(ReadViewSet):
    queryset = AuditEvent.objects.select_related("actor").order_by("study", "-sequence")
    serializer_class = AuditEventSerializer
    read_action = Action.VIEW_AUDIT
    filterset_fields = ["object_type", "object_id", "action"]

    def get_queryset(self):
        return filter_by_user(
            super().get_queryset(), "actor", self.request.query_params.get("actor")
        )


BAD_CREDENTIALS = "Unable to log in with the username and password given."
NEEDS_CODE = "This account uses two-factor sign-in: send the authenticator's current code as otp."


class ClientAddressThrottle(ScopedRateThrottle):
    """Counts requests per client address, as decided by dyads.network.client_ip."""

    def get_ident(self, request) -> str:
        return client_ip(request) or ""


class TokenView(APIView):
    """POST {username, password[, otp]} for a token; DELETE revokes the caller's token.

    Failed passwords count towards django-axes' lock-out like the login page's,
    and requests are throttled per client address.
    """

    permission_classes = [AllowAny]
    throttle_classes = [ClientAddressThrottle]
    throttle_scope = "auth-token"
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Wrong credentials or two-factor code"),
            429: OpenApiResponse(description="Locked out or throttled"),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if user is None or not user.is_active:
            raise DomainError({"non_field_errors": BAD_CREDENTIALS})
        device = twofactor.confirmed_device(user)
        if device is not None and not twofactor.totp_verify(device, data.get("otp", "")):
            raise DomainError({"otp": NEEDS_CODE if not data.get("otp") else twofactor.WRONG_CODE})
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return Response(status=401)
        Token.objects.filter(user=request.user).delete()
        return Response(status=204)
