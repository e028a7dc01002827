from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from analysis import api as analysis_api
from analysis import api_agreement, api_exchange, api_meetings, api_themes
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
router.register("codes", analysis_api.CodeViewSet)
router.register("codings", analysis_api.CodingViewSet)
router.register("coding-sessions", analysis_api.CodingSessionViewSet)
router.register("meetings", analysis_api.MeetingViewSet)
router.register("decisions", api_meetings.DecisionViewSet)
router.register("meeting-passages", api_meetings.MeetingPassageViewSet)
router.register("journal-entries", api_meetings.JournalEntryViewSet)
router.register("audit-comments", api_meetings.AuditCommentViewSet)
router.register("audit-rounds", api_meetings.AuditRoundViewSet)
router.register("audit-findings", api_meetings.AuditFindingViewSet)
router.register("themes", analysis_api.ThemeViewSet)
router.register("memos", analysis_api.MemoViewSet)
router.register("search", analysis_api.SearchViewSet, basename="search")
router.register("revisions", analysis_api.RevisionLiveViewSet, basename="revision")
router.register("resolutions", api_agreement.ResolutionViewSet)
router.register("agenda-disagreements", api_agreement.AgendaDisagreementViewSet)
router.register("calibration-references", api_agreement.CalibrationReferenceViewSet)
router.register("calibration-attempts", api_agreement.CalibrationAttemptViewSet)
router.register("theme-quotes", api_themes.QuoteViewSet)
router.register("convergence-marks", api_themes.ConvergenceViewSet)
router.register("question-coverage", api_themes.CoverageViewSet)
router.register("exchange-jobs", api_exchange.ExchangeJobViewSet)

urlpatterns = [
    path("auth/token/", dyads_api.TokenView.as_view(), name="api-token"),
    path(
        "participants/<int:pk>/erase/",
        analysis_api.ParticipantErasureView.as_view(),
        name="api-participant-erase",
    ),
    path(
        "studies/<int:pk>/agreement/",
        api_agreement.StudyAgreementView.as_view(),
        name="api-study-agreement",
    ),
    path(
        "studies/<int:pk>/agreement/drift/",
        api_agreement.StudyAgreementDriftView.as_view(),
        name="api-study-agreement-drift",
    ),
    path(
        "studies/<int:pk>/consensus/",
        api_agreement.StudyConsensusView.as_view(),
        name="api-study-consensus",
    ),
    path("studies/<int:pk>/matrix/", api_themes.MatrixView.as_view(), name="api-study-matrix"),
    path("disagreements/", api_agreement.DisagreementListView.as_view(), name="api-disagreements"),
    path(
        "codings/<int:pk>/provenance/",
        api_meetings.CodingProvenanceView.as_view(),
        name="api-coding-provenance",
    ),
    path(
        "codes/<int:pk>/history/", api_meetings.CodeHistoryView.as_view(), name="api-code-history"
    ),
    path(
        "studies/<int:pk>/audit-verify/",
        api_meetings.AuditVerifyView.as_view(),
        name="api-audit-verify",
    ),
    path(
        "studies/<int:pk>/exports/",
        api_exchange.StudyExportView.as_view(),
        name="api-study-exports",
    ),
    path(
        "studies/<int:pk>/imports/",
        api_exchange.StudyImportView.as_view(),
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
