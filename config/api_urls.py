from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from analysis.agreement import apis as agreement_apis
from analysis.coding import apis as coding_apis
from analysis.deliberation import apis as deliberation_apis
from analysis.exchange import apis as exchange_apis
from analysis.supervision import apis as supervision_apis
from analysis.themes import apis as themes_apis
from dyads import api as dyads_api
from interviews import api as interviews_api

router = DefaultRouter()
router.register("studies", dyads_api.StudyViewSet)
router.register("sites", dyads_api.SiteViewSet)
router.register("participants", dyads_api.ParticipantViewSet)
router.register("dyads", dyads_api.DyadViewSet)
router.register("audit-events", dyads_api.AuditEventViewSet)
router.register("access-events", dyads_api.AccessEventViewSet)
router.register("recruitment-events", dyads_api.RecruitmentEventViewSet)
router.register("guides", interviews_api.GuideViewSet)
router.register("interviews", interviews_api.InterviewViewSet)
router.register("transcripts", interviews_api.TranscriptViewSet)
router.register("import-jobs", interviews_api.ImportJobViewSet)
router.register("pseudonym-replacements", interviews_api.PseudonymReplacementViewSet)
router.register("pseudonym-proposals", interviews_api.PseudonymProposalViewSet)
router.register("codes", coding_apis.CodeViewSet)
router.register("codings", coding_apis.CodingViewSet)
router.register("coding-reviews", coding_apis.CodingReviewViewSet, basename="coding-review")
router.register("coding-sessions", coding_apis.CodingSessionViewSet)
router.register("meetings", deliberation_apis.MeetingViewSet)
router.register("decisions", deliberation_apis.DecisionViewSet)
router.register("meeting-passages", deliberation_apis.MeetingPassageViewSet)
router.register("journal-entries", deliberation_apis.JournalEntryViewSet)
router.register("audit-comments", supervision_apis.AuditCommentViewSet)
router.register("audit-rounds", supervision_apis.AuditRoundViewSet)
router.register("audit-findings", supervision_apis.AuditFindingViewSet)
router.register("themes", themes_apis.ThemeViewSet)
router.register("memos", coding_apis.MemoViewSet)
router.register("search", coding_apis.SearchViewSet, basename="search")
router.register("revisions", coding_apis.RevisionLiveViewSet, basename="revision")
router.register("resolutions", agreement_apis.ResolutionViewSet)
router.register("agenda-disagreements", agreement_apis.AgendaDisagreementViewSet)
router.register("calibration-references", agreement_apis.CalibrationReferenceViewSet)
router.register("calibration-attempts", agreement_apis.CalibrationAttemptViewSet)
router.register("theme-quotes", themes_apis.QuoteViewSet)
router.register("convergence-marks", themes_apis.ConvergenceViewSet)
router.register("question-coverage", themes_apis.CoverageViewSet)
router.register("exchange-jobs", exchange_apis.ExchangeJobViewSet)

urlpatterns = [
    path("auth/token/", dyads_api.TokenView.as_view(), name="api-token"),
    path(
        "participants/<int:pk>/erase/",
        exchange_apis.ParticipantErasureView.as_view(),
        name="api-participant-erase",
    ),
    path(
        "transcripts/<int:pk>/redact/",
        exchange_apis.TranscriptRedactionView.as_view(),
        name="api-transcript-redact",
    ),
    path(
        "studies/<int:pk>/agreement/",
        agreement_apis.StudyAgreementView.as_view(),
        name="api-study-agreement",
    ),
    path(
        "studies/<int:pk>/agreement/drift/",
        agreement_apis.StudyAgreementDriftView.as_view(),
        name="api-study-agreement-drift",
    ),
    path(
        "studies/<int:pk>/consensus/",
        agreement_apis.StudyConsensusView.as_view(),
        name="api-study-consensus",
    ),
    path("studies/<int:pk>/matrix/", themes_apis.MatrixView.as_view(), name="api-study-matrix"),
    path("disagreements/", agreement_apis.DisagreementListView.as_view(), name="api-disagreements"),
    path(
        "codings/<int:pk>/provenance/",
        supervision_apis.CodingProvenanceView.as_view(),
        name="api-coding-provenance",
    ),
    path(
        "codes/<int:pk>/history/",
        supervision_apis.CodeHistoryView.as_view(),
        name="api-code-history",
    ),
    path(
        "studies/<int:pk>/audit-verify/",
        supervision_apis.AuditVerifyView.as_view(),
        name="api-audit-verify",
    ),
    path(
        "studies/<int:pk>/exports/",
        exchange_apis.StudyExportView.as_view(),
        name="api-study-exports",
    ),
    path(
        "studies/<int:pk>/transcript-batches/",
        interviews_api.StudyTranscriptBatchView.as_view(),
        name="api-transcript-batches",
    ),
    path(
        "studies/<int:pk>/imports/",
        exchange_apis.StudyImportView.as_view(),
        name="api-study-imports",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script from a URL: no inline script under the CSP.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    *router.urls,
]
