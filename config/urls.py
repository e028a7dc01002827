from django.contrib import admin
from django.urls import include, path

from config.views import favicon, healthz

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("accounts/", include("dyads.account_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("config.api_urls")),
    path("", include("dyads.urls")),
    path("", include("interviews.urls")),
    path("", include("analysis.urls")),
]
