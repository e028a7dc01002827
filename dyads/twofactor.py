"""Optional two-factor sign-in with a TOTP authenticator app (django-otp).

A user sets it up once (scan the QR code, confirm with a code); from then on
both the login page and the API token endpoint ask for the current code after
the password. Owners are prompted to set it up; nobody is forced.
"""

import logging

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .exceptions import DomainError
from .models import Role

logger = logging.getLogger("duet.security")
WRONG_CODE = "That code is not right (or it was used already). Enter the current 6-digit code."


def confirmed_device(user) -> TOTPDevice | None:
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).first()


def should_prompt(user, memberships) -> bool:
    """Owners without two-factor sign-in see a prompt to set it up.

    `memberships` are the user's current memberships, which the caller has read already.
    """
    owns_a_study = any(membership.role == Role.OWNER for membership in memberships)
    return owns_a_study and confirmed_device(user) is None


def totp_verify(device: TOTPDevice, code: str) -> bool:
    """Whether `code` is the device's current code; the device throttles repeated failures."""
    code = (code or "").strip().replace(" ", "")
    allowed, _ = device.verify_is_allowed()
    return bool(allowed and code.isdigit() and device.verify_token(code))


@transaction.atomic
def totp_setup_start(*, user) -> TOTPDevice:
    """A fresh, unconfirmed device for the user to scan; replaces any earlier unconfirmed one."""
    if confirmed_device(user) is not None:
        raise DomainError("Two-factor sign-in is already on; turn it off first to replace it.")
    TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def totp_setup_confirm(*, user, code: str) -> TOTPDevice:
    device = pending_device(user)
    if device is None:
        raise DomainError("Start the set-up first.")
    if not totp_verify(device, code):
        raise DomainError({"code": WRONG_CODE})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    logger.info("two-factor sign-in turned on for user %s", user.pk)
    return device


@transaction.atomic
def totp_disable(*, user, code: str) -> None:
    device = confirmed_device(user)
    if device is None:
        raise DomainError("Two-factor sign-in is not on.")
    if not totp_verify(device, code):
        raise DomainError({"code": WRONG_CODE})
    TOTPDevice.objects.devices_for_user(user, confirmed=None).delete()
    logger.info("two-factor sign-in turned off for user %s", user.pk)


def provisioning_qr_svg(device: TOTPDevice) -> bytes:
    """The device's otpauth:// URL as an SVG QR code, for the authenticator app to scan."""
    import qrcode.image.svg  # heavy: loaded by the set-up page only

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string()
