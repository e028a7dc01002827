"""Account pages: login with an optional second step, two-factor set-up, invitations.

The login page is Django's, with one change: a user who has turned on
two-factor sign-in is not logged in after the password but sent to a second
page that asks for the authenticator's code. django-axes counts failed
passwords on both the page and the API and locks the username out.
"""

import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from rest_framework.authtoken.models import Token

from . import twofactor
from .exceptions import DomainError, NotFound
from .forms import ServiceForm, form_submit
from .invitations import (
    invitation_accept,
    invitation_accept_with_new_account,
    invitation_from_token,
)
from .models import StudyMembership

PENDING = "duet_2fa_pending"


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def tokens_revoked_on_password_change(sender, instance, update_fields=None, **kwargs) -> None:
    """A user whose password changes (the change and reset pages, the admin,
    `changepassword`) loses their API tokens, as their other sessions are logged out."""
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
    if stored.first() not in (None, instance.password):
        Token.objects.filter(user_id=instance.pk).delete()


PENDING_SECONDS = 300


class CodeForm(ServiceForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def submit(self, *, user, step: str) -> str:
        """Turn two-factor sign-in on (`confirm` the set-up) or off (`disable`) with the code."""
        if step == "confirm":
            twofactor.totp_setup_confirm(user=user, code=self.cleaned_data["code"])
            return "Two-factor sign-in is on."
        twofactor.totp_disable(user=user, code=self.cleaned_data["code"])
        return "Two-factor sign-in is off."


class DuetLoginView(LoginView):
    """Django's login; with two-factor sign-in on, the password only leads to the code page."""

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.confirmed_device(user) is None:
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return HttpResponseRedirect(reverse("login-2fa"))


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of a two-factor login: the current code from the authenticator app."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.warning(request, "Please log in again.")
        return redirect("login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    device = twofactor.confirmed_device(user) if user else None
    if device is None:
        request.session.pop(PENDING, None)
        return redirect("login")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if twofactor.totp_verify(device, form.cleaned_data["code"]):
            request.session.pop(PENDING, None)
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            target = pending["next"]
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = reverse("study-list")
            return HttpResponseRedirect(target)
        form.add_error("code", twofactor.WRONG_CODE)
    return render(request, "registration/login_code.html", {"form": form})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def twofactor_settings(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on (scan, then confirm with a code) or off (with a code)."""
    user = request.user
    form = CodeForm(request.POST or None)
    step = request.POST.get("step", "")
    if step == "start":
        try:
            twofactor.totp_setup_start(user=user)
            form = CodeForm()
        except DomainError as error:
            form.add_domain_error(error)
    elif step in ("confirm", "disable"):
        done = form_submit(form, user=user, step=step)
        if done is not None:
            messages.success(request, done)
            return redirect("twofactor")
    context = {
        "form": form,
        "confirmed": twofactor.confirmed_device(user),
        "pending": twofactor.pending_device(user),
    }
    return render(request, "accounts/twofactor.html", context)


@never_cache
@login_required
def twofactor_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the user's own device being set up (it holds the secret: never cached)."""
    device = twofactor.pending_device(request.user)
    if device is None:
        raise Http404("No set-up in progress.")
    return HttpResponse(twofactor.provisioning_qr_svg(device), content_type="image/svg+xml")


class NewAccountForm(ServiceForm):
    username = forms.CharField(max_length=150)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def submit(self, *, token: str) -> StudyMembership:
        return invitation_accept_with_new_account(token=token, **self.cleaned_data)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: signed in, with one button; otherwise by creating an account."""
    try:
        invitation = invitation_from_token(token)
    except NotFound as error:
        return render(request, "dyads/invitation_invalid.html", {"error": error}, status=404)
    form = None if request.user.is_authenticated else NewAccountForm(request.POST or None)
    if request.method == "POST":
        try:
            if form is None:
                membership = invitation_accept(actor=request.user, token=token)
            else:
                membership = form_submit(form, token=token)
                if membership is not None:
                    auth_login(
                        request,
                        membership.user,
                        backend="django.contrib.auth.backends.ModelBackend",
                    )
            if membership is not None:
                messages.success(request, f"Welcome to {membership.study.title}.")
                return redirect("study-overview", membership.study.slug)
        except DomainError as error:
            # An invitation that expired or was revoked meanwhile is a NotFound.
            if form is None:
                messages.error(request, str(error))
            else:
                form.add_domain_error(error)
    return render(request, "dyads/invitation_accept.html", {"invitation": invitation, "form": form})


LOCKED_OUT = "Too many failed logins: this account is locked for now. Try again later."


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: JSON for the API, a page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": LOCKED_OUT}, status=429)
    return render(request, "registration/locked_out.html", status=429)
