"""Account pages that replace or add to django.contrib.auth.urls (included before it)."""

from django.urls import path

from . import accounts

urlpatterns = [
    path("login/", accounts.DuetLoginView.as_view(), name="login"),
    path("login/code/", accounts.login_code, name="login-2fa"),
    path("two-factor/", accounts.twofactor_settings, name="twofactor"),
    path("two-factor/qr.svg", accounts.twofactor_qr, name="twofactor-qr"),
]
