"""Pages of meetings, decisions, the reflexivity journal, provenance and the audit."""

from django.urls import path

from .views import audit, journal, meetings, provenance

S = "studies/<slug:slug>"

urlpatterns = [
    path(f"{S}/meetings/", meetings.meeting_list_page, name="meeting-list"),
    path(f"{S}/meetings/new/", meetings.meeting_form_page, name="meeting-create"),
    path(f"{S}/meetings/<int:meeting_id>/", meetings.meeting_page, name="meeting-detail"),
    path(f"{S}/meetings/<int:meeting_id>/edit/", meetings.meeting_form_page, name="meeting-edit"),
    path(
        f"{S}/meetings/<int:meeting_id>/passages/",
        meetings.meeting_passage_add_page,
        name="meeting-passage-add",
    ),
    path(
        f"{S}/meetings/<int:meeting_id>/passages/<int:passage_id>/remove/",
        meetings.meeting_passage_remove_page,
        name="meeting-passage-remove",
    ),
    path(f"{S}/decisions/", meetings.decision_log_page, name="decision-log"),
    path(f"{S}/decisions/propose/", meetings.decision_propose_page, name="decision-propose"),
    path(
        f"{S}/decisions/<int:decision_id>/<slug:verdict>/",
        meetings.decision_decide_page,
        name="decision-decide",
    ),
    path(f"{S}/journal/", journal.journal_page, name="journal"),
    path(f"{S}/journal/<int:entry_id>/", journal.journal_entry_page, name="journal-entry"),
    path(
        f"{S}/journal/<int:entry_id>/delete/",
        journal.journal_entry_delete_page,
        name="journal-entry-delete",
    ),
    path(f"{S}/codings/<int:coding_id>/why/", provenance.coding_why_page, name="coding-why"),
    path(f"{S}/quotes/<int:quote_id>/trace/", provenance.quote_trace_page, name="quote-trace"),
    path(f"{S}/codes/<int:code_id>/history/", provenance.code_history_page, name="code-history"),
    path(
        f"{S}/findings/<int:finding_id>/reply/",
        provenance.finding_reply_page,
        name="finding-reply",
    ),
    path(f"{S}/audit/", audit.audit_timeline_page, name="audit-timeline"),
    path(f"{S}/audit/verify/", audit.audit_verify_page, name="audit-verify"),
    path(f"{S}/audit/coders/", audit.audit_coders_page, name="audit-coders"),
    path(f"{S}/audit/comments/", audit.audit_comment_page, name="audit-comment"),
    path(f"{S}/audit/rounds/", audit.audit_rounds_page, name="audit-rounds"),
    path(f"{S}/audit/rounds/<int:round_id>/", audit.audit_round_page, name="audit-round"),
    path(
        f"{S}/audit/rounds/<int:round_id>/findings/<int:finding_id>/",
        audit.audit_finding_page,
        name="audit-finding",
    ),
    path(
        f"{S}/audit/rounds/<int:round_id>/sign-off/",
        audit.audit_round_sign_off_page,
        name="audit-round-sign-off",
    ),
    path(f"{S}/audit/export/events.csv", audit.audit_events_export, name="audit-export-events"),
    path(
        f"{S}/audit/export/decisions.csv", audit.decision_log_export, name="audit-export-decisions"
    ),
    path(f"{S}/audit/export/report.docx", audit.audit_report_export, name="audit-export-report"),
]
