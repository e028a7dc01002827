"""The supervisor's pages: provenance ("why is this passage coded so?"), the audit timeline,
coders, comments, rounds and the audit exports."""

from django.urls import path

from analysis.supervision.views import audit, provenance

S = "studies/<slug:slug>"

urlpatterns = [
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
    path(f"{S}/audit/checkpoint.json", audit.audit_checkpoint_download, name="audit-checkpoint"),
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
