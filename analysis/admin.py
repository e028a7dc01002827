"""Read-only admin of the analysis (writes go through the services)."""

from django.contrib import admin

from analysis.agreement.models import (
    AgendaDisagreement,
    CalibrationAttempt,
    CalibrationReference,
    Resolution,
)
from analysis.coding.models import (
    Code,
    Coding,
    CodingReview,
    CodingSession,
    Memo,
    SessionProgress,
    SessionSnapshot,
)
from analysis.deliberation.models import Decision, JournalEntry, MeetingPassage, MeetingRecord
from analysis.exchange.models import ExchangeJob
from analysis.supervision.models import AuditFinding, AuditRound
from analysis.themes.models import (
    ConvergenceMark,
    ExemplaryQuote,
    QuestionCoverage,
    ReportClearance,
    StudyReportSettings,
    Theme,
)
from dyads.admin import ReadOnlyAdmin, all_fields


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


@admin.register(SessionProgress)
class SessionProgressAdmin(ReadOnlyAdmin):
    list_display = ["session", "transcript", "coder", "done_at"]
    list_filter = ["session__study", "session"]
    list_select_related = ["session", "transcript__interview__participant", "coder"]
    search_fields = ["session__name", "coder__username"]


@admin.register(SessionSnapshot)
class SessionSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["session", "transcript", "revision", "taken_at"]
    list_filter = ["session__study", "session"]
    list_select_related = ["session", "transcript__interview__participant", "revision"]


@admin.register(CodingReview)
class CodingReviewAdmin(ReadOnlyAdmin):
    list_display = ["coding", "state", "created_at", "outcome", "closed_by"]
    list_filter = ["state", "outcome"]
    list_select_related = ["coding__code", "coding__coder", "revision", "closed_by"]


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


@admin.register(MeetingPassage)
class MeetingPassageAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "interview", "t_start", "t_end", "start", "end", "removed_at"]
    list_select_related = ["meeting", "interview__participant"]
    search_fields = ["meeting__title", "note"]


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    """A private entry's words stay its author's, even here."""

    list_display = ["date", "author", "study", "shared"]
    list_filter = ["study", "shared"]
    list_select_related = ["author", "study"]
    date_hierarchy = "date"

    def get_exclude(self, request, obj=None) -> list[str]:
        return ["title", "text"] if obj is not None and not obj.shared else []

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return all_fields(self.model, exclude=self.get_exclude(request, obj))


@admin.register(AuditRound)
class AuditRoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "study", "created_by", "created_at", "seed", "signed_off_at"]
    list_filter = ["study"]
    list_select_related = ["study", "created_by"]


@admin.register(AuditFinding)
class AuditFindingAdmin(ReadOnlyAdmin):
    list_display = ["round", "position", "coding", "verdict", "recorded_by", "replied_at"]
    list_filter = ["verdict"]
    list_select_related = ["round", "coding", "recorded_by"]


@admin.register(Resolution)
class ResolutionAdmin(ReadOnlyAdmin):
    list_display = ["code", "session", "revision", "start", "end", "kind", "resolved_by"]
    list_filter = ["study", "kind", "withdrawn_at"]
    list_select_related = ["code", "session", "revision", "resolved_by"]
    search_fields = ["code__name", "reason"]


@admin.register(AgendaDisagreement)
class AgendaDisagreementAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "session", "code", "start", "end", "added_by"]
    list_select_related = ["meeting", "session", "code", "added_by"]


@admin.register(CalibrationReference)
class CalibrationReferenceAdmin(ReadOnlyAdmin):
    list_display = ["name", "study", "session", "coder", "created_at", "retired_at"]
    list_filter = ["study"]
    list_select_related = ["study", "session", "coder"]


@admin.register(CalibrationAttempt)
class CalibrationAttemptAdmin(ReadOnlyAdmin):
    list_display = ["reference", "trainee", "session", "created_at", "submitted_at"]
    list_select_related = ["reference", "trainee", "session"]


@admin.register(ExemplaryQuote)
class ExemplaryQuoteAdmin(ReadOnlyAdmin):
    list_display = ["theme", "perspective", "position", "coding", "chosen_by", "removed_at"]
    list_filter = ["study", "perspective"]
    list_select_related = ["theme", "coding", "chosen_by"]


@admin.register(ConvergenceMark)
class ConvergenceMarkAdmin(ReadOnlyAdmin):
    list_display = ["dyad", "theme", "verdict", "marked_by", "updated_at", "cleared_at"]
    list_filter = ["study", "verdict"]
    list_select_related = ["dyad", "theme", "marked_by"]


@admin.register(QuestionCoverage)
class QuestionCoverageAdmin(ReadOnlyAdmin):
    list_display = ["question", "interview", "start", "end", "marked_by", "deleted_at"]
    list_filter = ["study"]
    list_select_related = ["question", "interview__participant", "marked_by"]


@admin.register(StudyReportSettings)
class StudyReportSettingsAdmin(ReadOnlyAdmin):
    list_display = ["study", "client_pronoun", "therapist_pronoun", "version"]
    list_select_related = ["study"]


@admin.register(ReportClearance)
class ReportClearanceAdmin(ReadOnlyAdmin):
    list_display = ["study", "cleared_by", "cleared_at", "open_warnings", "fingerprint"]
    list_select_related = ["study", "cleared_by"]


@admin.register(ExchangeJob)
class ExchangeJobAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "study", "kind", "format", "state", "progress", "created_by"]
    list_filter = ["study", "kind", "format", "state"]
    list_select_related = ["study", "created_by"]
    search_fields = ["file_name", "checksum", "error"]
