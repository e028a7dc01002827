from rest_framework import serializers

from .apibase import StudyScopedField
from .models import (
    AuditEvent,
    Dyad,
    Participant,
    ParticipantRole,
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
            "version",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")

    class Meta:
        model = StudyMembership
        fields = ["id", "username", "role", "created_at"]
        read_only_fields = ["created_at"]


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
