"""Django settings for Trellis, read from the environment through helpers that fail loudly.

Nothing needs to be set for `make run`: SQLite in the project folder and development keys
generated into `.trellis/` (ignored by git). `TRELLIS_ENV=production` turns on the strict
settings and then refuses to start without real secrets.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def _project_dir() -> Path:
    checkout = PACKAGE_DIR.parents[1]
    return checkout if (checkout / "pyproject.toml").exists() else Path.cwd()


PROJECT_DIR = Path(os.environ.get("TRELLIS_HOME", _project_dir()))
STATE_DIR = PROJECT_DIR / ".trellis"


def envbool(name: str, default: str = "False") -> bool:
    value = os.environ.get(name, default)
    if value not in ("True", "False", "true", "false", "1", "0"):
        raise ValueError(f"{name} must be True or False")
    return value in ("True", "true", "1")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    if not value.isdigit():
        raise ValueError(f"{name} must be a whole number")
    return int(value)


def secret(name: str, *, generate: bool) -> str:
    """Return a secret from `NAME`, from the file named by `NAME_FILE`, or, in development,
    from a file generated once under `.trellis/`."""
    if os.environ.get(name):
        return os.environ[name]
    if os.environ.get(f"{name}_FILE"):
        return Path(os.environ[f"{name}_FILE"]).read_text().strip()
    if not generate:
        raise RuntimeError(f"{name} (or {name}_FILE) must be set when TRELLIS_ENV=production")
    path = STATE_DIR / name.lower()
    if not path.exists():
        STATE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(_new_secret(name))
        path.chmod(0o600)
    return path.read_text().strip()


def _new_secret(name: str) -> str:
    if name == "TRELLIS_ENCRYPTION_KEYS":
        from trellis.core.encryption import new_key

        return new_key()
    return secrets.token_urlsafe(50)


TRELLIS_ENV = os.environ.get("TRELLIS_ENV", "development")
if TRELLIS_ENV not in ("development", "production"):
    raise ValueError("TRELLIS_ENV must be development or production")
PRODUCTION = TRELLIS_ENV == "production"

DEBUG = envbool("DEBUG", "False")
SECRET_KEY = secret("TRELLIS_SECRET_KEY", generate=not PRODUCTION)
# Comma-separated base64 keys; the first encrypts, all decrypt (see `trellis keys rotate`).
ENCRYPTION_KEYS = secret("TRELLIS_ENCRYPTION_KEYS", generate=not PRODUCTION)
# Keys the episode case ids and the research export's date shifts; SECRET_KEY when unset. Keep
# it stable: changing it changes every case id and every person's date shift.
DEIDENTIFY_KEY = os.environ.get("TRELLIS_DEIDENTIFY_KEY", "")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "ninja",
    "trellis.accounts",
    "trellis.audit",
    "trellis.people",
    "trellis.assessments",
    "trellis.alerts",
    "trellis.plans",
    "trellis.recovery",
    "trellis.sharing",
    "trellis.family",
    "trellis.monitoring",
    "trellis.directory",
    "trellis.referrals",
    "trellis.waitlist",
    "trellis.oversight",
    "trellis.reporting",
    "trellis.training",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "trellis.accounts.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "trellis.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "trellis.urls"
WSGI_APPLICATION = "trellis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "trellis.accounts.context.navigation",
            ],
        },
    },
]
# Django's standard widgets written in Python, the same HTML as their templates, ten times faster.
FORM_RENDERER = "trellis.form_renderer.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'trellis.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock up front, so the audit chain's writers queue instead of deadlocking.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"]["timeout"] = 20
    # Write-ahead logging: readers do not wait for the writer.
    DATABASES["default"]["OPTIONS"]["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    # Tests use a file too, so concurrent requests (browser pages, service worker) wait their
    # turn as in production instead of failing on an in-memory database's table locks.
    # One file per test process, so two runs on one machine never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"trellis-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: five failures for a username from one address lock it out for 15 minutes.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = envbool("AXES_ENABLED", "True")
AXES_VERBOSE = False
# API tokens (axes does not see them): this many wrong bearer tokens from one address within
# the window are answered 429 until the window passes (counted in the cache).
API_TOKEN_FAILURE_LIMIT = envint("API_TOKEN_FAILURE_LIMIT", 10)
API_TOKEN_FAILURE_WINDOW_SECONDS = envint("API_TOKEN_FAILURE_WINDOW_SECONDS", 15 * 60)
# Request bodies above 2.5 MB (Django's default, stated here) are answered 400; no uploads.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Sessions expire after 30 minutes without a request, and when the browser closes.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ENGINE = "trellis.accounts.sessions"  # Django's database sessions, in plain SQL
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
OTP_TOTP_ISSUER = "Trellis"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]

# Every asset is served by Trellis itself: no outside origin anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

REDIS_URL = os.environ.get("REDIS_URL", "")


def _task_queue():
    """Background tasks: SQLite in-process by default (no extra server), Redis when REDIS_URL is set.
    Their schedules (the nightly evaluation at 02:00 …) are on the site's clock, TIME_ZONE,
    which Django makes the process's local time, not UTC."""
    from huey import RedisHuey, SqliteHuey

    if REDIS_URL:
        return RedisHuey("trellis", url=REDIS_URL, utc=False)
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("trellis", filename=str(STATE_DIR / "tasks.sqlite3"), utc=False)


HUEY = _task_queue()

# Mail: written to files under .trellis/mail by default; set EMAIL_BACKEND and EMAIL_HOST etc. to send.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = STATE_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Trellis <no-reply@localhost>")
SMS_BACKEND = os.environ.get("SMS_BACKEND", "trellis.notify.backends.FileBackend")
SMS_WEBHOOK_URL = os.environ.get("SMS_WEBHOOK_URL", "")
# The address links in messages point to.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# A site records here that it holds the C-SSRS electronic-use licence (instruments.md).
CSSRS_LICENSED = envbool("TRELLIS_CSSRS_LICENSED", "False")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # Request paths never carry protected data (ids are opaque UUIDs), so the server log may name them.
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
CSRF_FAILURE_VIEW = "trellis.errorpages.csrf_failure"
