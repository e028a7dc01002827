"""Inviting people into a study by e-mail: a signed, expiring, single-use link.

An owner invites an address with a role; the mail carries a link whose token
is the invitation's id and a random key, signed with the site's secret and a
timestamp. Following it, the invitee signs in (or creates an account) and
accepts: the invitation is used up and a membership is added. Each step is
one transaction with its audit event.
"""

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from .audit import audit_record
from .changes import mark_removed, validate
from .exceptions import DomainError, NotFound
from .models import Invitation, Role, Study, StudyMembership
from .permissions import Action, study_access

SALT = "duet.invitation"
INVALID = "This invitation link is not valid: it was mistyped, has expired, was revoked or has already been used."


def _token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{invitation.pk}:{invitation.key}")


def invitation_link(invitation: Invitation, site_url: str) -> str:
    return site_url.rstrip("/") + reverse("invitation-accept", args=[_token(invitation)])


@transaction.atomic
def invitation_create(
    *, actor, study: Study, email: str, role: Role | str, site_url: str
) -> Invitation:
    """Invite `email` into the study as `role` and mail the link once the transaction commits."""
    study_access(actor, study, Action.MANAGE_STUDY)
    if role not in Role.values:
        raise DomainError({"role": f"'{role}' is not a role; use one of {', '.join(Role.values)}."})
    email = email.strip().lower()
    if StudyMembership.objects.filter(
        study=study, user__email__iexact=email, removed_at__isnull=True
    ).exists():
        raise DomainError({"email": f"{email} is already a member of this study."})
    invitation = Invitation(
        study=study,
        email=email,
        role=role,
        key=secrets.token_urlsafe(32),
        invited_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=settings.DUET_INVITATION_DAYS),
    )
    validate(invitation, exclude=["key"])
    invitation.save()
    audit_record(
        study=study,
        actor=actor,
        action="invitation.create",
        target=invitation,
        new={"email": email, "role": role, "expires_at": invitation.expires_at},
    )
    link = invitation_link(invitation, site_url)
    inviter = actor.get_full_name() or actor.username
    transaction.on_commit(
        lambda: send_mail(
            subject=f"Invitation to the study “{study.title}” on Duet",
            message=(
                f"{inviter} invites you to join the study “{study.title}” on Duet "
                f"as {Role(role).label.lower()}.\n\n"
                f"Accept the invitation here (the link works once, "
                f"until {invitation.expires_at:%d %B %Y}):\n{link}\n\n"
                "If you did not expect this, ignore this e-mail."
            ),
            from_email=None,
            recipient_list=[email],
        )
    )
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The open invitation the token names; NotFound with one message for every failure."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(
            token, max_age=dt.timedelta(days=settings.DUET_INVITATION_DAYS)
        )
        pk, key = value.split(":", 1)
    except (signing.BadSignature, ValueError) as error:
        raise NotFound(INVALID) from error
    invitation = Invitation.objects.select_related("study").filter(pk=pk).first()
    if (
        invitation is None
        or not constant_time_compare(invitation.key, key)
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= timezone.now()
        or invitation.study.deleted_at is not None
    ):
        raise NotFound(INVALID)
    return invitation


@transaction.atomic
def invitation_accept(*, actor, token: str) -> StudyMembership:
    """The signed-in `actor` accepts: the invitation is used up and they become a member."""
    invitation = invitation_from_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:  # accepted by a concurrent request meanwhile
        raise NotFound(INVALID)
    study = invitation.study
    if StudyMembership.objects.filter(study=study, user=actor, removed_at__isnull=True).exists():
        raise DomainError("You are already a member of this study.")
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    membership = StudyMembership.objects.create(study=study, user=actor, role=invitation.role)
    audit_record(
        study=study,
        actor=actor,
        action="invitation.accept",
        target=invitation,
        new={"user": actor.pk, "role": invitation.role},
    )
    audit_record(
        study=study,
        actor=actor,
        action="membership.add",
        target=membership,
        new={"user": actor.pk, "role": invitation.role},
    )
    return membership


@transaction.atomic
def invitation_accept_with_new_account(
    *, token: str, username: str, password: str, **profile: Any
) -> StudyMembership:
    """Create the invitee's account (with the invited address) and accept, in one transaction."""
    invitation = invitation_from_token(token)
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError({"username": f"The username '{username}' is taken."})
    user = User(username=username, email=invitation.email, **profile)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise DomainError({"password": " ".join(error.messages)}) from error
    user.set_password(password)
    validate(user, exclude=["password"])
    user.save()
    return invitation_accept(actor=user, token=token)


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> None:
    study_access(actor, invitation.study, Action.MANAGE_STUDY)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise DomainError("This invitation has already been used or revoked.")
    mark_removed(invitation, "revoked_at")
    audit_record(
        study=invitation.study,
        actor=actor,
        action="invitation.revoke",
        target=invitation,
        old={"email": invitation.email, "role": invitation.role},
    )
