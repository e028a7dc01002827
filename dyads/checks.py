from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def refuse_unsafe_production(app_configs, **kwargs):
    """A production deployment must not start on development defaults."""
    if not settings.PRODUCTION:
        return []
    errors = []
    if not settings.SECRET_KEY or settings.SECRET_KEY == "dev-only-insecure-key":
        errors.append(Error("DJANGO_SECRET_KEY must be set in production.", id="duet.E001"))
    if settings.DEBUG:
        errors.append(Error("DJANGO_DEBUG must be off in production.", id="duet.E002"))
    if not settings.ALLOWED_HOSTS:
        errors.append(Error("DJANGO_ALLOWED_HOSTS must name the site's hosts.", id="duet.E003"))
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        errors.append(Error("Production runs on PostgreSQL: set DATABASE_URL.", id="duet.E004"))
    return errors
