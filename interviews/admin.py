"""Read-only admin of interviews, guides and transcripts (writes go through the services)."""

from django.contrib import admin

from dyads.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import (
    AudioRecording,
    GuideQuestion,
    ImportBatch,
    ImportJob,
    ImportUpload,
    Interview,
    InterviewGuide,
    PseudonymProposal,
    PseudonymReplacement,
    SpeakerTurn,
    Transcript,
    TranscriptRevision,
)


class GuideQuestionInline(ReadOnlyTabularInline):
    model = GuideQuestion
    fields = ["position", "text", "participant"]


@admin.register(InterviewGuide)
class InterviewGuideAdmin(ReadOnlyAdmin):
    list_display = ["title", "study", "role", "focus", "version"]
    list_filter = ["study", "role", "focus"]
    list_select_related = ["study"]
    search_fields = ["title", "study__title"]
    inlines = [GuideQuestionInline]


@admin.register(GuideQuestion)
class GuideQuestionAdmin(ReadOnlyAdmin):
    list_display = ["guide", "position", "text", "participant"]
    list_filter = ["guide__study"]
    list_select_related = ["guide", "participant"]
    search_fields = ["text", "guide__title", "participant__pseudonym"]


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    list_display = [
        "participant",
        "sequence_number",
        "study",
        "dyad",
        "focus",
        "timing",
        "date",
        "interviewer",
    ]
    list_filter = ["study", "focus", "timing"]
    list_select_related = ["participant", "study", "dyad", "interviewer"]
    search_fields = ["participant__pseudonym", "dyad__label", "notes", "study__title"]
    date_hierarchy = "date"


@admin.register(AudioRecording)
class AudioRecordingAdmin(ReadOnlyAdmin):
    list_display = ["interview", "content_type", "duration_seconds", "uploaded_by", "uploaded_at"]
    list_select_related = ["interview__participant", "uploaded_by"]
    search_fields = ["interview__participant__pseudonym", "checksum"]


@admin.register(Transcript)
class TranscriptAdmin(ReadOnlyAdmin):
    list_display = ["interview", "current_revision", "created_at"]
    list_filter = ["interview__study"]
    list_select_related = ["interview__participant", "current_revision"]
    search_fields = ["interview__participant__pseudonym"]


@admin.register(TranscriptRevision)
class TranscriptRevisionAdmin(ReadOnlyAdmin):
    list_display = [
        "transcript",
        "number",
        "source_name",
        "source_format",
        "created_by",
        "created_at",
    ]
    list_filter = ["source_format", "transcript__interview__study"]
    list_select_related = ["transcript__interview__participant", "created_by"]
    search_fields = ["transcript__interview__participant__pseudonym", "source_name", "checksum"]
    exclude = ["original_text"]


@admin.register(SpeakerTurn)
class SpeakerTurnAdmin(ReadOnlyAdmin):
    list_display = ["revision", "index", "speaker", "role", "start", "end", "t_start"]
    list_filter = ["role"]
    list_select_related = ["revision__transcript__interview__participant"]
    search_fields = ["speaker"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "interview", "state", "progress", "created_by", "created_at"]
    list_filter = ["state", "study"]
    list_select_related = ["interview__participant", "created_by"]
    search_fields = ["file_name", "checksum", "error"]


@admin.register(PseudonymReplacement)
class PseudonymReplacementAdmin(ReadOnlyAdmin):
    """The list's pseudonyms; the real names stay out of the admin (owners see them in the study)."""

    list_display = ["replacement", "study", "case_sensitive", "created_by", "deleted_at"]
    list_filter = ["study"]
    list_select_related = ["study", "created_by"]
    search_fields = ["replacement"]
    exclude = ["original"]


@admin.register(PseudonymProposal)
class PseudonymProposalAdmin(ReadOnlyAdmin):
    """Proposals for the list, without the proposed real names."""

    list_display = ["pk", "study", "replacement", "state", "proposed_by", "created_at"]
    list_filter = ["study", "state"]
    list_select_related = ["study", "proposed_by"]
    exclude = ["original"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["pk", "study", "pattern", "created_by", "created_at", "confirmed_at"]
    list_filter = ["study"]
    list_select_related = ["study", "created_by"]
    search_fields = ["pattern"]


@admin.register(ImportUpload)
class ImportUploadAdmin(ReadOnlyAdmin):
    """Uploads between upload and import; their bytes (the file as delivered) are not shown."""

    list_display = ["file_name", "study", "interview", "source_format", "size", "created_at"]
    list_filter = ["study", "source_format"]
    list_select_related = ["study", "interview__participant"]
    search_fields = ["file_name", "checksum"]
    exclude = ["content"]
