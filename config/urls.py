from django.contrib import admin
from django.urls import include, path

from config.views import favicon, healthz, help_page, help_screenshot

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("help/", help_page, name="help"),
    path("help/screenshots/<str:name>", help_screenshot, name="help-screenshot"),
    path("help/<slug:topic>/", help_page, name="help"),
    path("admin/", admin.site.urls),
    path("accounts/", include("dyads.account_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("config.api_urls")),
    path("", include("dyads.urls")),
    path("", include("interviews.urls")),
    path("", include("analysis.urls")),
]
