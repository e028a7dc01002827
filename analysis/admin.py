"""Read-only admin of the analysis (writes go through the services)."""

from django.contrib import admin

from dyads.admin import ReadOnlyAdmin

from .models import Code, Coding, CodingSession, Decision, MeetingRecord, Memo, Theme


@admin.register(Code)
class CodeAdmin(ReadOnlyAdmin):
    list_display = ["name", "parent", "study", "colour", "position", "retired_at"]
    list_filter = ["study", "retired_at"]
    list_select_related = ["parent", "study"]
    search_fields = ["name", "definition", "guid"]


@admin.register(CodingSession)
class CodingSessionAdmin(ReadOnlyAdmin):
    list_display = ["name", "study", "mode", "state", "created_by", "created_at", "closed_at"]
    list_filter = ["study", "mode", "state"]
    list_select_related = ["study", "created_by"]
    search_fields = ["name"]


@admin.register(Coding)
class CodingAdmin(ReadOnlyAdmin):
    list_display = ["code", "revision", "start", "end", "coder", "session", "deleted_at"]
    list_filter = ["study", "needs_review", "deleted_at"]
    list_select_related = [
        "code",
        "revision__transcript__interview__participant",
        "coder",
        "session",
    ]
    search_fields = ["code__name", "coder__username"]


@admin.register(Memo)
class MemoAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "study", "author", "created_at", "deleted_at"]
    list_filter = ["study"]
    list_select_related = ["study", "author"]
    search_fields = ["title", "text", "author__username"]


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAdmin):
    list_display = ["name", "level", "parent", "study", "position", "retired_at"]
    list_filter = ["study", "level"]
    list_select_related = ["parent", "study"]
    search_fields = ["name", "description"]


@admin.register(MeetingRecord)
class MeetingRecordAdmin(ReadOnlyAdmin):
    list_display = ["date", "title", "study", "created_by"]
    list_filter = ["study"]
    list_select_related = ["study", "created_by"]
    search_fields = ["title", "agenda", "notes"]
    date_hierarchy = "date"


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "state", "study", "meeting", "code", "theme", "author"]
    list_filter = ["study", "kind", "state"]
    list_select_related = ["study", "meeting", "code", "theme", "author"]
    search_fields = ["rationale", "code__name", "theme__name"]
    date_hierarchy = "created_at"
