from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def refuse_unsafe_production(app_configs, **kwargs):
    """A production deployment must not start on development defaults."""
    if not settings.PRODUCTION:
        return []
    errors = []
    try:
        secret_key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        secret_key = ""
    if not secret_key or secret_key == "dev-only-insecure-key":
        errors.append(Error("DJANGO_SECRET_KEY must be set in production.", id="duet.E001"))
    if settings.DEBUG:
        errors.append(Error("DJANGO_DEBUG must be off in production.", id="duet.E002"))
    if not settings.ALLOWED_HOSTS:
        errors.append(Error("DJANGO_ALLOWED_HOSTS must name the site's hosts.", id="duet.E003"))
    if len(settings.AUDIT_HMAC_KEY) < 32 or settings.AUDIT_HMAC_KEY.startswith("dev-only"):
        errors.append(
            Error(
                "AUDIT_HMAC_KEY (or AUDIT_HMAC_KEY_FILE) must hold 32 or more random "
                "characters in production.",
                id="duet.E005",
            )
        )
    if settings.AUDIT_SIGNING_KEY in ("", settings.DEV_AUDIT_SIGNING_KEY):
        errors.append(
            Error(
                "AUDIT_SIGNING_KEY (or AUDIT_SIGNING_KEY_FILE) must hold the Ed25519 key that "
                "signs audit checkpoints in production.",
                id="duet.E006",
            )
        )
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        errors.append(Error("Production runs on PostgreSQL: set DATABASE_URL.", id="duet.E004"))
    return errors
