"""A read-only admin for staff: every write goes through the services, which
record it in the audit log, so the admin may look but never touch."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required

from .models import (
    AccessEvent,
    AuditChainHead,
    AuditCheckpoint,
    AuditComment,
    AuditEvent,
    Dyad,
    Invitation,
    Participant,
    RecruitmentEvent,
    Site,
    Study,
    StudyMembership,
)


def all_fields(model, exclude=()) -> list[str]:
    """Every field of the model, in order, editable or not (timestamps, hashes) but `exclude`."""
    opts = model._meta
    return [f.name for f in [*opts.concrete_fields, *opts.many_to_many] if f.name not in exclude]


class ReadOnlyAdmin(admin.ModelAdmin):
    """A model admin that shows rows, every field of them, and refuses to add,
    change or delete them."""

    actions = None

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return all_fields(self.model, exclude=self.exclude or ())

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyTabularInline(admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return list(self.fields or all_fields(self.model, exclude=self.exclude or ()))

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MembershipInline(ReadOnlyTabularInline):
    model = StudyMembership
    fields = ["user", "role", "created_at", "removed_at"]


class SiteInline(ReadOnlyTabularInline):
    model = Site
    fields = ["name", "city"]


@admin.register(Study)
class StudyAdmin(ReadOnlyAdmin):
    list_display = ["title", "slug", "ethics_approval_reference", "created_at", "deleted_at"]
    list_filter = ["created_at", "deleted_at"]
    search_fields = ["title", "slug", "ethics_approval_reference"]
    inlines = [MembershipInline, SiteInline]


@admin.register(StudyMembership)
class StudyMembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "study", "role", "created_at", "removed_at"]
    list_filter = ["role", "study"]
    list_select_related = ["user", "study"]
    search_fields = ["user__username", "user__email", "study__title", "study__slug"]


@admin.register(Site)
class SiteAdmin(ReadOnlyAdmin):
    list_display = ["name", "city", "study"]
    list_filter = ["study"]
    list_select_related = ["study"]
    search_fields = ["name", "city", "study__title"]


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ["pseudonym", "role", "study", "site", "gender", "age", "deleted_at"]
    list_filter = ["role", "study", "gender"]
    list_select_related = ["study", "site"]
    search_fields = ["pseudonym", "profession", "theoretical_orientation", "study__title"]


@admin.register(Dyad)
class DyadAdmin(ReadOnlyAdmin):
    list_display = ["label", "study", "therapist", "client", "site", "therapy_sessions"]
    list_filter = ["study"]
    list_select_related = ["study", "therapist", "client", "site"]
    search_fields = ["label", "therapist__pseudonym", "client__pseudonym", "study__title"]


@admin.register(RecruitmentEvent)
class RecruitmentEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_on", "step", "role", "participant", "site", "study"]
    list_filter = ["step", "role", "study"]
    list_select_related = ["study", "site", "participant"]
    search_fields = ["participant__pseudonym", "reason", "study__title"]
    date_hierarchy = "occurred_on"


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "sequence",
        "study",
        "created_at",
        "actor",
        "action",
        "object_type",
        "object_id",
    ]
    list_filter = ["study", "action", "object_type"]
    list_select_related = ["study", "actor"]
    search_fields = ["action", "object_type", "object_id", "actor__username", "reason", "hash"]
    date_hierarchy = "created_at"
    ordering = ["study", "-sequence"]


@admin.register(AuditChainHead)
class AuditChainHeadAdmin(ReadOnlyAdmin):
    list_display = ["study", "sequence", "last_hash"]
    list_select_related = ["study"]
    search_fields = ["study__title", "study__slug"]


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ["study", "sequence", "signed_at", "public_key"]
    list_filter = ["study"]
    list_select_related = ["study"]
    ordering = ["study", "-sequence"]


@admin.register(AuditComment)
class AuditCommentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "study", "author", "object_type", "object_id"]
    list_filter = ["study", "object_type"]
    list_select_related = ["study", "author"]
    search_fields = ["text", "object_id"]


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "study", "user", "action", "object_type", "object_id"]
    list_filter = ["study", "action"]
    list_select_related = ["study", "user"]
    search_fields = ["user__username", "object_type", "object_id", "detail"]
    date_hierarchy = "created_at"


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "study", "email", "role", "invited_by", "expires_at"]
    list_filter = ["study", "role"]
    list_select_related = ["study", "invited_by"]
    search_fields = ["email"]
    # The key admits whoever holds it: staff do not need to see it.
    exclude = ["key"]


# The admin's own login form would skip two-factor sign-in and the lock-out page:
# signing in to the admin goes through Duet's login page instead.
admin.site.login = login_required(admin.site.login)
