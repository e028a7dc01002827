"""Duet's one settings module, driven by environment variables.

With nothing set, Duet runs on SQLite in the project folder with Celery tasks
executed eagerly. DATABASE_URL and CELERY_BROKER_URL switch to PostgreSQL and
Redis; DJANGO_ENV=production turns on the deployment hardening.
"""

import hashlib
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "" if PRODUCTION else "dev-only-insecure-key")


def env_secret(name: str, development_default: str) -> str:
    """A secret from the variable `name` or from the file `name`_FILE names (a mounted
    secret); in production there is no default."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, "" if PRODUCTION else development_default)


# The audit chain's link key (HMAC-SHA256), never stored in the database; see
# docs/security.md for what it protects and how to rotate it.
AUDIT_HMAC_KEY = env_secret("AUDIT_HMAC_KEY", "dev-only-insecure-audit-key")
# The Ed25519 key that signs checkpoints of each chain head (a 32-byte seed in hex, or
# a PEM private key), never stored in the database; public keys of earlier signing
# keys whose checkpoints verify_audit --checkpoint still accepts (hex, comma-separated).
DEV_AUDIT_SIGNING_KEY = hashlib.sha256(b"dev-only-insecure-audit-signing-key").hexdigest()
AUDIT_SIGNING_KEY = env_secret("AUDIT_SIGNING_KEY", DEV_AUDIT_SIGNING_KEY)
AUDIT_TRUSTED_PUBLIC_KEYS = env_list("AUDIT_TRUSTED_PUBLIC_KEYS")
DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "dyads",
    "interviews",
    "analysis",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "dyads.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dyads.middleware.RequestIdMiddleware",
    # A view stopped by a database or job-queue outage answers 503 with Retry-After.
    "dyads.middleware.ServiceUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its refusal page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request uses it: after a database
        # restart the first request reconnects instead of failing.
        conn_health_checks=True,
    )
}
# PostgreSQL: parameters bound by the server, and a statement prepared once it has run
# five times on a connection, so that Duet's permission-filtered queries are planned
# once instead of at every request (planning was most of their time). Set
# DATABASE_PREPARED_STATEMENTS=0 behind a pooler that cannot keep them.
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and os.environ.get("DATABASE_PREPARED_STATEMENTS", "1") == "1"
):
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "study-list"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_AGE", str(8 * 3600)))

# --- Security: lock-out, two-factor, invitations, uploads, headers ----------
# docs/security.md explains each of these.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DUET_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DUET_LOGIN_COOLOFF_HOURS", "1"))
# A username is locked after the limit from any address, and so is an address
# after the limit against any usernames.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The reverse proxies in front of Duet that append to X-Forwarded-For; 0 trusts no
# header (REMOTE_ADDR only). One function decides the client's address for the
# lock-out, the throttles and the access log (dyads.network.client_ip).
TRUSTED_PROXY_COUNT = int(os.environ.get("DUET_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "dyads.network.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dyads.accounts.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_SENSITIVE_PARAMETERS = ["password", "otp"]
OTP_TOTP_ISSUER = "Duet"
DUET_INVITATION_DAYS = int(os.environ.get("DUET_INVITATION_DAYS", "7"))
DUET_MAX_UPLOAD_MB = int(os.environ.get("DUET_MAX_UPLOAD_MB", "50"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The archive guard (dyads/archives.py), applied to every zip Duet reads: .docx, .odt,
# .xlsx, .qdpx, batch .zip and backups. A member of a transcript archive is also held
# to the upload limit.
DUET_ARCHIVE_MAX_MEMBERS = int(os.environ.get("DUET_ARCHIVE_MAX_MEMBERS", "10000"))
DUET_ARCHIVE_MAX_MEMBER_MB = int(os.environ.get("DUET_ARCHIVE_MAX_MEMBER_MB", "200"))
DUET_ARCHIVE_MAX_TOTAL_MB = int(os.environ.get("DUET_ARCHIVE_MAX_TOTAL_MB", "1000"))
DUET_ARCHIVE_MAX_RATIO = int(os.environ.get("DUET_ARCHIVE_MAX_RATIO", "100"))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("DUET_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth-token": os.environ.get("DUET_TOKEN_RATE", "10/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Duet API",
    "DESCRIPTION": "Dyadic, serial interview studies analysed together.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "MemberRoleEnum": "dyads.models.Role",
        "ParticipantRoleEnum": "dyads.models.ParticipantRole",
        "SpeakerRoleEnum": "interviews.models.SpeakerRole",
        "ResolutionKindEnum": "analysis.agreement.models.ResolutionKind",
        "ConvergenceVerdictEnum": "analysis.themes.models.ConvergenceVerdict",
        # analysis.themes.selectors.source.SideState (a StrEnum the override cannot import)
        "SideStateEnum": ["present", "absent", "not_coded", "not_interviewed"],
    },
}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# Celery's Django fix-up closes the database connection around every task, so each
# task paid for a new PostgreSQL backend (and lost its prepared statements). It now
# closes it after this many tasks, and config/celery.py applies Django's own rule
# around each task: a connection that failed or outlived CONN_MAX_AGE is replaced.
CELERY_DB_REUSE_MAX = 1000
# Two queues, taken in this order: an import (the default queue) before the filling
# of search documents, which can wait until a bulk import is through. A worker
# started without -Q consumes both.
CELERY_TASK_QUEUES = [Queue("celery", routing_key="celery"), Queue("search", routing_key="search")]
CELERY_TASK_ROUTES = {"interviews.search_documents_fill": {"queue": "search"}}
# A job's run is stopped after this long (dyads.jobs); a job claimed longer ago than
# that (and a margin) has lost its worker and is failed by the sweep below.
DUET_JOB_TIME_LIMIT_MINUTES = int(os.environ.get("DUET_JOB_TIME_LIMIT_MINUTES", "60"))
# Redis hands an unacknowledged message to another worker after the visibility
# timeout: it must outlast the longest run, or a long job would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "queue_order_strategy": "priority",
    "visibility_timeout": 2 * 60 * DUET_JOB_TIME_LIMIT_MINUTES,
}
# A worker process that has grown past this (KiB of resident memory, after parsing
# large files) is replaced once its task is done, so the worker's memory stays bounded.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(os.environ.get("CELERY_WORKER_MAX_MEMORY_KB", "200000"))
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
# Celery beat (docker-compose's beat service): uploads previewed but never
# imported hold real names, so they are deleted after a day.
CELERY_BEAT_SCHEDULE = {
    "expire-import-uploads": {"task": "interviews.import_uploads_expire", "schedule": 3600.0},
    # Imports enqueue the fill themselves; this catches one whose message was lost.
    "fill-search-documents": {"task": "interviews.search_documents_fill", "schedule": 600.0},
    # A signed checkpoint of every audit chain that moved, for supervisors to keep.
    "publish-audit-checkpoints": {"task": "dyads.audit_checkpoints_publish", "schedule": 86400.0},
    # Jobs that lost their worker are failed, jobs whose message was lost sent again.
    "sweep-jobs": {"task": "dyads.jobs_sweep", "schedule": 300.0},
}

# The cache holds what several web processes must share but need not keep:
# who is on which transcript (the coding page's presence), throttle counts.
# Redis when REDIS_URL is set or the Celery broker is Redis; else per-process memory.
REDIS_URL = os.environ.get("REDIS_URL") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
