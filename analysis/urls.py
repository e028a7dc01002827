"""The analysis pages: each sub-domain's own URLs, under one include."""

from django.urls import include, path

urlpatterns = [
    path("", include("analysis.coding.urls")),
    path("", include("analysis.themes.urls")),
    path("", include("analysis.deliberation.urls")),
    path("", include("analysis.supervision.urls")),
    path("", include("analysis.agreement.urls")),
    path("", include("analysis.exchange.urls")),
]
