"""Settings, all from environment variables.

DEBUG is off unless asked for, so a deployment that forgets a variable fails safe.
`make run` sets DEBUG=1 for the development server. With DEBUG off the HTTPS,
HSTS and secure-cookie settings are on and `manage.py check --deploy` is clean; SECRET_KEY
must then be set, or nothing starts (ImproperlyConfigured says how to set it).
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = BASE_DIR / ".local"  # ignored by git: development secret, SQLite file


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _development_secret() -> str:
    """A secret generated once per checkout, kept out of git, so nothing secret is committed.
    Only with DEBUG on: production must set SECRET_KEY (see below)."""
    path = LOCAL_DIR / "secret_key"
    if not path.exists():
        LOCAL_DIR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG:
        # A key made up here would differ between processes and restarts, signing everyone
        # out and breaking every signed link: refuse to start rather than guess.
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production, set the SECRET_KEY environment variable to "
            "a long random value kept out of git, for example the output of: "
            'python -c "import secrets; print(secrets.token_urlsafe(50))". '
            "For development on your own computer, set DEBUG=1 (as `make run` does) and a "
            "key is kept for you in .local/secret_key."
        )
    SECRET_KEY = _development_secret()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "alongside.core",
    "alongside.accounts",
    "alongside.coaching",
    "alongside.listening",
    "alongside.convening",
    "alongside.insight",
    "alongside.network",
    "alongside.home",
    "alongside.demo",
]

MIDDLEWARE = [
    "alongside.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "alongside.accounts.middleware.TwoFactorDeviceMiddleware",
    "alongside.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "alongside.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "alongside.core.middleware.NoStoreMiddleware",
    # Last, so it sees every failed authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "alongside.urls"
WSGI_APPLICATION = "alongside.wsgi.application"

# Common widgets drawn in Python, the same HTML as Django's templates (core/form_renderer.py).
FORM_RENDERER = "alongside.core.form_renderer.Renderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "alongside" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alongside.home.context_processors.navigation",
            ],
            # `{% url %}` with each address worked out once (core/paths.py).
            "builtins": ["alongside.core.templatetags.paths"],
        },
    },
]

# SQLite (in WAL mode, see core.apps) unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{LOCAL_DIR / 'alongside.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept (CONN_MAX_AGE) as on PostgreSQL: opening the file afresh for every
    # request was most of a SQLite request's floor (6.0 → 1.2 ms under gunicorn; issue 11).
    # Not by Django's development server, which starts a thread for every request: kept SQLite
    # connections were left open behind them (38 file handles after 300 requests).
    if sys.argv[1:2] == ["runserver"]:
        DATABASES["default"]["CONN_MAX_AGE"] = 0
    LOCAL_DIR.mkdir(exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Prepared statements: PostgreSQL parses and plans each of the app's queries once per
    # connection, not on every request. A page's small queries spent more time being planned
    # than run (the whole record: 2.3 ms planning, 1.1 ms running; issue 11). psycopg prepares a
    # query the N-th time a connection runs it (PG_PREPARE_THRESHOLD, default 1: the second
    # time). Behind a connection pooler in transaction mode that cannot keep prepared
    # statements (PgBouncer before 1.21), set PG_PREPARE_THRESHOLD=off: the parameters are
    # then merged into the query text on the client, as Django does by default.
    _threshold = os.environ.get("PG_PREPARE_THRESHOLD", "1").strip().lower()
    if _threshold not in {"off", "none", ""}:
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": int(_threshold)}
        )

# Background jobs (alongside.core.jobs) go through django-tasks' database backend: the queue is a
# table in the same database, so it works on SQLite and PostgreSQL, survives a restart, and any
# number of workers (`manage.py worker`) on any number of machines share it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A failed job is tried again after 30 s, 60 s, 120 s, then shown as failed.
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "4"))
JOB_RETRY_SECONDS = float(os.environ.get("JOB_RETRY_SECONDS", "30"))
# A running job that has not said how far it has got for this long lost its worker: run it again.
JOB_STALE_SECONDS = float(os.environ.get("JOB_STALE_SECONDS", "120"))
JOB_REAP_SECONDS = float(os.environ.get("JOB_REAP_SECONDS", "30"))
# Suggesting themes for an exercise of more contributions than this is a background job (2,000
# take about half a second in the request; 20,000 about seven).
THEMES_INLINE_LIMIT = int(os.environ.get("THEMES_INLINE_LIMIT", "2000"))
# Area insight (issue 14): each area's DuckDB file (default MEDIA_ROOT/insight, so backups
# carry it), and the largest file of service records an analyst may bring in.
INSIGHT_ROOT = os.environ.get("INSIGHT_ROOT") or None
INSIGHT_UPLOAD_MAX_BYTES = int(os.environ.get("INSIGHT_UPLOAD_MAX_BYTES", str(500 * 1024 * 1024)))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the user's person record in the same query.
    "alongside.accounts.backends.UsernameBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Length, a common-password check and a guessability check (repeats, keyboard runs,
# sequences, zxcvbn score); no composition rules (NCSC and NIST advice).
AUTH_PASSWORD_VALIDATORS = [
    # Django's own checks, saying "passphrase" (accounts/validators.py).
    {"NAME": "alongside.accounts.validators.PassphraseSimilarityValidator"},
    {
        "NAME": "alongside.accounts.validators.PassphraseLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "alongside.accounts.validators.PassphraseCommonValidator"},
    {
        "NAME": "alongside.accounts.validators.GuessablePassphraseValidator",
        "OPTIONS": {"min_score": 3},
    },
]

LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"

# django-axes: lock the account (not the whole building's shared IP) after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_CALLABLE = "alongside.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# axes warns when the IP address is not part of the lockout. That is deliberate: people
# sign in from hostels, libraries and day centres that share one address, and locking
# the address would lock out everyone in the building because of one person's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

OTP_TOTP_ISSUER = "Alongside"

# Database sessions, read by a query written once per connection (accounts/sessions.py).
SESSION_ENGINE = "alongside.accounts.sessions"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 8)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Signed out after this long without a request (accounts.middleware.IdleTimeoutMiddleware).
SESSION_IDLE_MINUTES_PERSON = int(os.environ.get("SESSION_IDLE_MINUTES_PERSON", "30"))
SESSION_IDLE_MINUTES_STAFF = int(os.environ.get("SESSION_IDLE_MINUTES_STAFF", "120"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(LOCAL_DIR / "media")))

# Security headers. X-Frame-Options and CSP frame-ancestors both forbid framing.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"

# Application logs carry request ids and status codes, never names or free text.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line carries the request id, the same one the audit rows of that request keep.
    "filters": {"request_id": {"()": "alongside.core.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # axes writes usernames and IP addresses into its log lines; we audit sign-ins instead.
        "axes": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django.server": {"level": "INFO"},
    },
}

# Coaching defaults an organisation can change.
KEEP_IN_TOUCH_WEEKS_DEFAULT = 6
INVITE_CODE_DAYS = 14

# Email (issue 15): a place at an event that came free, an event called off, an accreditation
# due for renewal. Without EMAIL_HOST the messages are written to the server's output instead
# (fine for the demo; set EMAIL_HOST in production). They carry event and organisation names,
# never anything about a person who is coached.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Alongside <alongside@localhost>")
# The network (issue 15): the largest document a portfolio may hold, and whether a directory
# feed may be fetched from an address inside a private network (off: a feed is another site).
NETWORK_UPLOAD_MAX_BYTES = int(os.environ.get("NETWORK_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
NETWORK_FEEDS_ALLOW_PRIVATE = env_bool("NETWORK_FEEDS_ALLOW_PRIVATE", False)
