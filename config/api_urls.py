from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from analysis import api as analysis_api
from dyads import api as dyads_api
from interviews import api as interviews_api

router = DefaultRouter()
router.register("studies", dyads_api.StudyViewSet)
router.register("sites", dyads_api.SiteViewSet)
router.register("participants", dyads_api.ParticipantViewSet)
router.register("dyads", dyads_api.DyadViewSet)
router.register("audit-events", dyads_api.AuditEventViewSet)
router.register("interviews", interviews_api.InterviewViewSet)
router.register("transcripts", interviews_api.TranscriptViewSet)
router.register("codes", analysis_api.CodeViewSet)
router.register("codings", analysis_api.CodingViewSet)
router.register("coding-sessions", analysis_api.CodingSessionViewSet)
router.register("meetings", analysis_api.MeetingViewSet)
router.register("decisions", analysis_api.DecisionViewSet)
router.register("themes", analysis_api.ThemeViewSet)
router.register("memos", analysis_api.MemoViewSet)

urlpatterns = [
    path("auth/token/", dyads_api.TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
