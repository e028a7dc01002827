from django.utils import timezone
from rest_framework import serializers

from .apibase import StudyScopedField
from .models import (
    AccessEvent,
    AuditEvent,
    Dyad,
    Invitation,
    Participant,
    ParticipantRole,
    RecruitmentEvent,
    Role,
    Site,
    Study,
    StudyMembership,
)


class StudySerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = Study
        fields = [
            "id",
            "title",
            "slug",
            "ethics_approval_reference",
            "description",
            "store_original_text",
            "include_interviewer_turns_in_agreement",
            "language",
            "require_name_review",
            "created_at",
            "version",
            "role",
        ]
        read_only_fields = ["created_at", "role", "version"]

    def get_role(self, study: Study) -> str | None:
        user = self.context["request"].user
        for membership in study.memberships.all():
            if membership.user_id == user.pk and membership.removed_at is None:
                return membership.role
        return None


class StudyUpdateSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Study
        fields = [
            "title",
            "ethics_approval_reference",
            "description",
            "store_original_text",
            "include_interviewer_turns_in_agreement",
            "language",
            "require_name_review",
            "version",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")

    class Meta:
        model = StudyMembership
        fields = ["id", "username", "role", "imported_from", "created_at"]
        read_only_fields = ["imported_from", "created_at"]


class MembershipWriteSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)


class SiteSerializer(serializers.ModelSerializer):
    study = StudyScopedField(Study.objects.all(), study_path="pk")

    class Meta:
        model = Site
        fields = ["id", "study", "name", "city"]


class ParticipantSerializer(serializers.ModelSerializer):
    study = StudyScopedField(Study.objects.all(), study_path="pk")
    site = StudyScopedField(Site.objects.all(), required=False, allow_null=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Participant
        fields = [
            "id",
            "study",
            "site",
            "role",
            "pseudonym",
            "gender",
            "age",
            "profession",
            "theoretical_orientation",
            "presenting_problems",
            "attributes",
            "version",
        ]
        # Uniqueness is checked by the service, with the study's own message.
        validators = []


class DyadSerializer(serializers.ModelSerializer):
    study = StudyScopedField(Study.objects.all(), study_path="pk")
    therapist = StudyScopedField(Participant.objects.filter(role=ParticipantRole.THERAPIST))
    client = StudyScopedField(Participant.objects.filter(role=ParticipantRole.CLIENT))
    site = StudyScopedField(Site.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Dyad
        fields = ["id", "study", "label", "therapist", "client", "site", "therapy_sessions"]
        validators = []


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "study",
            "sequence",
            "actor",
            "created_at",
            "action",
            "object_type",
            "object_id",
            "old_value",
            "new_value",
            "reason",
            "request_id",
            "previous_hash",
            "hash",
        ]


class MembershipRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationSerializer(serializers.ModelSerializer):
    invited_by = serializers.CharField(source="invited_by.username", read_only=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "invited_by", "created_at", "expires_at", "state"]
        read_only_fields = ["created_at", "expires_at"]

    def get_state(self, invitation: Invitation) -> str:
        if invitation.accepted_at:
            return "accepted"
        if invitation.revoked_at:
            return "revoked"
        return "expired" if invitation.expires_at <= timezone.now() else "open"


class SiteUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["name", "city"]
        validators = []


class DyadUpdateSerializer(serializers.ModelSerializer):
    site = StudyScopedField(
        Site.objects.filter(deleted_at__isnull=True), required=False, allow_null=True
    )
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Dyad
        fields = ["label", "site", "therapy_sessions", "version"]
        validators = []


class RecruitmentEventSerializer(serializers.ModelSerializer):
    study = StudyScopedField(Study.objects.all(), study_path="pk")
    site = StudyScopedField(
        Site.objects.filter(deleted_at__isnull=True), required=False, allow_null=True
    )
    participant = StudyScopedField(
        Participant.objects.filter(deleted_at__isnull=True), required=False, allow_null=True
    )

    class Meta:
        model = RecruitmentEvent
        fields = ["id", "study", "step", "role", "site", "participant", "occurred_on", "reason"]


class AccessEventSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", default=None)

    class Meta:
        model = AccessEvent
        fields = [
            "id",
            "study",
            "user",
            "action",
            "object_type",
            "object_id",
            "detail",
            "created_at",
            "request_id",
            "ip_address",
        ]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The current code of the user's authenticator app, if two-factor sign-in is on.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
