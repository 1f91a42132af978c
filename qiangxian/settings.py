"""Django settings for qiangxian.

Configuration comes from the environment so the same code runs the demo on SQLite and a
provincial deployment on PostgreSQL:

- ``DATABASE_URL``: any dj-database-url URL; default ``sqlite:///var/qiangxian.sqlite3``.
- ``DJANGO_DEBUG``: ``1`` for development; off by default.
- ``DJANGO_SECRET_KEY``: required when DEBUG is off (``make run`` writes one under var/).
- ``QX_HTTPS``: ``1`` when served over HTTPS: secure cookies, HSTS, SSL redirect.
- ``DJANGO_ALLOWED_HOSTS``: comma-separated; default allows localhost only.
- ``QX_IMPORT_MAX_MB``: the largest file any import accepts, in MB (default 50).
- ``QX_S3_BUCKET`` (with ``QX_S3_ENDPOINT_URL``, ``QX_S3_ACCESS_KEY``, ``QX_S3_SECRET_KEY``,
  ``QX_S3_REGION``, ``QX_S3_PREFIX``): keep uploaded files in an S3-compatible store shared by every
  web and worker host (django-storages); unset, files stay under ``QX_VAR_DIR/media``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("QX_VAR_DIR", BASE_DIR / "var"))


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("DJANGO_DEBUG")
TESTING = _flag("QX_TESTING")
INSECURE_DEFAULT_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = INSECURE_DEFAULT_KEY
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY 未设置：关闭 DEBUG 时必须提供随机密钥（make run 会在 var/secret_key 生成）。"
        )
if not DEBUG and not TESTING and SECRET_KEY == INSECURE_DEFAULT_KEY:
    raise ImproperlyConfigured("生产环境不能使用默认密钥，请设置 DJANGO_SECRET_KEY。")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "qiangxian.core",
    "qiangxian.enterprises",
    "qiangxian.statistics",
    "qiangxian.dashboard",
    "qiangxian.projects",
    "qiangxian.rules",
    "qiangxian.tiers",
    "qiangxian.supervision",
    "qiangxian.chains",
    "qiangxian.policies",
    "qiangxian.inbox",
    "qiangxian.service",
    "qiangxian.land",
    "qiangxian.portal",
    "qiangxian.reports",
    "qiangxian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qiangxian.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "qiangxian.core.middleware.LoginRequiredMiddleware",
    "qiangxian.core.middleware.CurrentRequestMiddleware",
    "qiangxian.core.middleware.SessionActivityMiddleware",
    "qiangxian.core.middleware.PasswordChangeMiddleware",
    "qiangxian.core.middleware.EnterpriseGateMiddleware",
    # Axes must come last so it sees the authentication outcome.
    "axes.middleware.AxesMiddleware",
]

# Filter forms are rendered on every list page: the common widgets are written without a
# template per option (qiangxian/core/renderers.py), the same markup as Django's templates.
FORM_RENDERER = "qiangxian.core.renderers.FastWidgetRenderer"

ROOT_URLCONF = "qiangxian.urls"
WSGI_APPLICATION = "qiangxian.wsgi.application"
ASGI_APPLICATION = "qiangxian.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "qiangxian" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qiangxian.core.context_processors.shell",
            ],
            "builtins": ["qiangxian.core.templatetags.qx"],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'qiangxian.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes. One writer at a time: a
    # connection that finds the database locked waits up to 30 s (both the driver's timeout and
    # the pragma, which the driver would otherwise reset) instead of failing "database is locked",
    # and imports keep their write transactions to the writing itself (parsing happens before).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
        "transaction_mode": "IMMEDIATE",
    }
    # Connections are kept (per thread) between requests: opening one and running the pragmas,
    # then closing it (the last close checkpoints the WAL), cost about 9 ms of CPU per request,
    # as much as a whole page. Tests keep one connection per request as before.
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if TESTING else 60
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Length, character classes and reuse follow the security administrator's settings
# (core.SecuritySettings); the common-password and numeric checks always apply.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "qiangxian.core.security.PolicyPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "qiangxian.core.security.PasswordHistoryValidator"},
]
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if TESTING
    else [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ]
)
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Login throttling. An address is stopped quickly (core.security: lockout_address_failures,
# default 5, counted in the shared cache); an account is locked by django-axes only after more
# failures (lockout_account_failures, default 10), so nobody locks `admin` by typing its name a
# few times from one desk. Both limits and the lock time are the security administrator's.
AXES_FAILURE_LIMIT = "qiangxian.core.security.account_failure_limit"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = "qiangxian.core.security.lockout_cool_off"
AXES_RESET_ON_SUCCESS = True
# Logins and failures are written to the audit trail (core.AuditEvent), the one login log.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_VERBOSE = False
# Axes locks accounts only; addresses are locked by core.security (see above).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions end after SecuritySettings.session_idle_minutes without activity (default 30),
# checked by core.middleware.SessionActivityMiddleware. The session is written when its
# activity mark is older than QX_SESSION_REFRESH_SECONDS, not on every request: a write per
# request serialised every page behind SQLite's one write lock. Reads come from the cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 8 * 60 * 60  # the longest a session can live, however active
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
QX_SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

HTTPS = _flag("QX_HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Every script and style is a vendored file served from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# One cache shared by the web processes (login counters, sessions, the dashboard): files under
# QX_VAR_DIR/cache need no extra service, and on several hosts the shared QX_VAR_DIR makes it one
# cache for all of them (docs/deployment.md). What is kept is never stale wherever it is kept: the
# computed pages are keyed on fingerprints of their inputs read from the database (core.versions).
FILE_CACHE = {
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": str(VAR_DIR / "cache"),
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 20000},
}
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "qx-tests"}
        if TESTING
        else FILE_CACHE
    )
}

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGES = [("zh-hans", "简体中文")]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("QX_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "qiangxian" / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even before collectstatic
WHITENOISE_USE_FINDERS = DEBUG or TESTING


def s3_storage(env) -> dict | None:
    """The default storage in an S3-compatible store when ``QX_S3_BUCKET`` is set (else None)."""
    bucket = env.get("QX_S3_BUCKET", "").strip()
    if not bucket:
        return None
    options = {
        "bucket_name": bucket,
        "endpoint_url": env.get("QX_S3_ENDPOINT_URL") or None,
        "access_key": env.get("QX_S3_ACCESS_KEY") or None,
        "secret_key": env.get("QX_S3_SECRET_KEY") or None,
        "region_name": env.get("QX_S3_REGION") or None,
        "location": env.get("QX_S3_PREFIX", ""),
        "addressing_style": "path",  # MinIO and other in-house stores answer on one host name
        "default_acl": None,
        "querystring_auth": True,  # files are private: links are signed and expire
        "file_overwrite": False,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": s3_storage(os.environ) or {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# Structured logs on stderr (one JSON object a line, with request id and user); the process
# manager (systemd's journal, or run.sh's redirection) decides where they are kept.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "qiangxian.core.logs.RequestContextFilter"},
        "quiet_refusals": {"()": "qiangxian.core.logs.QuietRefusalFilter"},
    },
    "formatters": {"json": {"()": "qiangxian.core.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["context", "quiet_refusals"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("QX_LOG_LEVEL", "WARNING")},
}

# Filters say "全部" for "no filter" in every list.
FILTERS_EMPTY_CHOICE_LABEL = "全部"

# Page size limits shared by every list.
QX_PAGE_SIZE = 50
QX_EXPORT_SYNC_LIMIT = 20000

# Every import upload: its size, what its zip may expand to, how many errors a report keeps.
QX_IMPORT_MAX_BYTES = int(float(os.environ.get("QX_IMPORT_MAX_MB", "50")) * 1024 * 1024)
QX_IMPORT_MAX_UNZIPPED_BYTES = 20 * QX_IMPORT_MAX_BYTES
QX_IMPORT_MAX_ERRORS = 500
# A registry import batch with more rows than this is undone by a background job.
QX_REGISTRY_UNDO_BACKGROUND_ROWS = 2000
# Imports: entries of each review list (errors included) stored and shown; the counts stay exact.
QX_IMPORT_MAX_LISTED = int(os.environ.get("QX_IMPORT_MAX_LISTED", "200"))
# Background jobs beat every QX_JOB_HEARTBEAT_SECONDS; one silent for QX_JOB_STALE_SECONDS is dead.
QX_JOB_HEARTBEAT_SECONDS = int(os.environ.get("QX_JOB_HEARTBEAT_SECONDS", "10"))
QX_JOB_STALE_SECONDS = int(os.environ.get("QX_JOB_STALE_SECONDS", "120"))

# Backups (manage.py backup): where archives go and how long they are kept.
QX_BACKUP_DIR = Path(os.environ.get("QX_BACKUP_DIR", VAR_DIR / "backups"))
QX_BACKUP_KEEP_DAYS = int(os.environ.get("QX_BACKUP_KEEP_DAYS", "30"))
QX_BACKUP_KEEP_MIN = int(os.environ.get("QX_BACKUP_KEEP_MIN", "7"))

# Audit records are kept at least this many days (never fewer than 180: the legal minimum).
QX_AUDIT_RETENTION_DAYS = int(os.environ.get("QX_AUDIT_RETENTION_DAYS", "180"))
# Behind a reverse proxy the client's address is the first of X-Forwarded-For.
QX_BEHIND_PROXY = _flag("QX_BEHIND_PROXY")
# Keys of the encrypted fields (core.crypto): comma-separated Fernet keys, newest first.
QX_FIELD_KEYS = os.environ.get("QX_FIELD_KEYS", "")
if TESTING and not QX_FIELD_KEYS:
    QX_FIELD_KEYS = "wxXc0V8cvT3rm5hxXHCeJgJcDDoGWQ2bHiLxFOWsJ2Q="  # tests only
