"""Django settings for Schutznetz.

Every setting comes from the environment (django-environ). Safe defaults exist only for the demo
(``SCHUTZNETZ_DEMO=1``, set by ``schutznetz demo``); a production instance refuses to start without
a secret key.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent

env = environ.Env()

DEMO_MODE: bool = env.bool("SCHUTZNETZ_DEMO", default=False)
VAR_DIR = Path(env.str("SCHUTZNETZ_VAR_DIR", default=str(Path.cwd() / "var"))).resolve()


def _demo_secret_key() -> str:
    """The demo keeps a generated key under var/ so that sessions survive restarts."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = (env.str("SECRET_KEY", default="") or _demo_secret_key()) if DEMO_MODE else env.str("SECRET_KEY")


def _demo_key(name: str) -> str:
    """A demo key (32 random bytes, urlsafe base64) kept under var/ so that the demo data stay readable."""
    import base64

    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


# The key of the identity vault (32 bytes, urlsafe base64). Losing it loses every identity record.
SCHUTZNETZ_VAULT_KEY: str = (
    (env.str("SCHUTZNETZ_VAULT_KEY", default="") or _demo_key("vault_key"))
    if DEMO_MODE
    else env.str("SCHUTZNETZ_VAULT_KEY")
)
# Earlier vault keys: they open the rows they sealed until `schutznetz vault rotate` has re-sealed them.
SCHUTZNETZ_VAULT_RETIRED_KEYS: list[str] = env.list("SCHUTZNETZ_VAULT_RETIRED_KEYS", default=[])
# The key of the blind indexes of the child search, separate so that the vault key can be rotated.
SCHUTZNETZ_INDEX_KEY: str = (
    (env.str("SCHUTZNETZ_INDEX_KEY", default="") or _demo_key("index_key"))
    if DEMO_MODE
    else env.str("SCHUTZNETZ_INDEX_KEY")
)

# The audit trail (docs/security.md, "The audit trail"): the MAC key of the chain, earlier MAC keys
# (they verify the segments they sealed), the Ed25519 key that signs checkpoints, where checkpoints
# are written, and an optional witness that receives a copy of each.
SCHUTZNETZ_AUDIT_KEY: str = (
    (env.str("SCHUTZNETZ_AUDIT_KEY", default="") or _demo_key("audit_key"))
    if DEMO_MODE
    else env.str("SCHUTZNETZ_AUDIT_KEY")
)
SCHUTZNETZ_AUDIT_RETIRED_KEYS: list[str] = env.list("SCHUTZNETZ_AUDIT_RETIRED_KEYS", default=[])
SCHUTZNETZ_AUDIT_SIGNING_KEY: str = (
    (env.str("SCHUTZNETZ_AUDIT_SIGNING_KEY", default="") or _demo_key("audit_signing_key"))
    if DEMO_MODE
    else env.str("SCHUTZNETZ_AUDIT_SIGNING_KEY")
)
SCHUTZNETZ_AUDIT_CHECKPOINT_DIR: str = env.str(
    "SCHUTZNETZ_AUDIT_CHECKPOINT_DIR", default=str(VAR_DIR / "audit-checkpoints")
)
SCHUTZNETZ_AUDIT_WITNESS_EMAIL: list[str] = env.list("SCHUTZNETZ_AUDIT_WITNESS_EMAIL", default=[])
SCHUTZNETZ_AUDIT_WITNESS_URL: str = env.str("SCHUTZNETZ_AUDIT_WITNESS_URL", default="")
# Unusual access (audit/alerts.py): more cases read by one person within an hour than this.
SCHUTZNETZ_AUDIT_READ_LIMIT_PER_HOUR: int = env.int("SCHUTZNETZ_AUDIT_READ_LIMIT_PER_HOUR", default=40)
# ... and more reads within a day of cases the person's organisation has handed on (it keeps reading
# the history for a while after the family moved, § 8a Abs. 6 SGB VIII) than this.
SCHUTZNETZ_AUDIT_HISTORY_READS_PER_DAY: int = env.int("SCHUTZNETZ_AUDIT_HISTORY_READS_PER_DAY", default=5)
# Who seals the chain (audit/sealer.py): process (set by `schutznetz serve`) | background | inline | worker.
SCHUTZNETZ_AUDIT_SEALING: str = env.str("SCHUTZNETZ_AUDIT_SEALING", default="background")
if SCHUTZNETZ_AUDIT_SEALING not in {"process", "background", "inline", "worker"}:
    raise ImproperlyConfigured("SCHUTZNETZ_AUDIT_SEALING: process, background, inline or worker")

DEBUG: bool = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A form sent from a page opened before the session changed: a German page keeping what was written.
CSRF_FAILURE_VIEW = "schutznetz.kit.views.csrf_failure"

INSTALLED_APPS = [
    # Our apps first: their templates override those of the libraries (two_factor).
    "schutznetz.dashboard",
    "schutznetz.kit",
    "schutznetz.accounts",
    "schutznetz.network",
    "schutznetz.audit",
    "schutznetz.people",
    "schutznetz.cases",
    "schutznetz.notify",
    "schutznetz.meetings",
    "schutznetz.outreach",
    "schutznetz.medical",
    "schutznetz.welfare",
    "schutznetz.crisis",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    "csp",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "schutznetz.accounts.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "schutznetz.accounts.middleware.RequireTwoFactorMiddleware",
    "schutznetz.accounts.middleware.PrivateResponsesMiddleware",
    "schutznetz.accounts.middleware.LoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Every read of a case's content on the audit trail (``schutznetz.cases.read_audit``).
    "schutznetz.cases.read_audit.CaseReadAuditMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "schutznetz.urls"
WSGI_APPLICATION = "schutznetz.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "schutznetz.dashboard.context_processors.schutznetz",
            ],
        },
    },
]
FORM_RENDERER = "schutznetz.kit.forms.KernFormRenderer"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'schutznetz.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the worker and the web server share the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Form choices are iterated with .iterator(); a server-side cursor costs three round trips
    # (DECLARE, FETCH, CLOSE) for a few dozen rows, and breaks behind a transaction-pooling PgBouncer.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
        "DB_DISABLE_SERVER_SIDE_CURSORS", default=True
    )
    # The audit INSERT, sent by every audited request, is a prepared statement (audit/services.py,
    # `_insert`). Django turns psycopg's prepared statements off unless a threshold is given; with
    # this one nothing is prepared on its own (Django's cursors bind on the client and never are),
    # only what asks for it. Behind a transaction-pooling PgBouncer older than 1.21, set
    # DB_PREPARED_STATEMENTS=false.
    if env.bool("DB_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor authentication: mandatory outside the demo (see accounts.middleware).
TWO_FACTOR_REQUIRED: bool = env.bool("TWO_FACTOR_REQUIRED", default=not DEMO_MODE)
TWO_FACTOR_PATCH_ADMIN = False
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Schutznetz")

# Brute-force protection (django-axes): lock the account after repeated failures.
# Free texts refused for looking identifying, per user and hour, before further saves are refused.
SCREENING_REFUSALS_PER_HOUR: int = env.int("SCREENING_REFUSALS_PER_HOUR", default=30)
AXES_FAILURE_LIMIT: int = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Locked per account, not per address: a hospital or a Jugendamt reaches us through one NAT address,
# and locking that would lock out the whole institution. Guessing across many accounts is blocked
# by the mandatory second factor.
# A user name is locked for the address the failures came from: typing a colleague's name from
# elsewhere cannot lock them out. Attempts per address are bounded by LoginThrottleMiddleware.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Personal API tokens: the longest validity, and how long one may lie unused before it lapses.
API_TOKEN_LIFETIME_DAYS: int = env.int("API_TOKEN_LIFETIME_DAYS", default=90)
API_TOKEN_IDLE_DAYS: int = env.int("API_TOKEN_IDLE_DAYS", default=30)
LOGIN_ATTEMPTS_PER_IP: int = env.int("LOGIN_ATTEMPTS_PER_IP", default=60)
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_CALLABLE = "schutznetz.accounts.lockout.username_from_request"
AXES_VERBOSE = False

# Sessions end after this much idleness: activity renews the expiry.
SESSION_IDLE_TIMEOUT_MINUTES: int = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
# Renewed at most once a minute (accounts.middleware.IdleSessionMiddleware), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
# Read from the cache when it is shared by all workers (CACHE_URL, e.g. Redis), written through to
# the database. A cache in each process's memory (the default) would keep a session that another
# worker ended on logout, so sessions are then read from the database.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.db"
    if CACHES["default"]["BACKEND"].endswith("LocMemCache")
    else "django.contrib.sessions.backends.cached_db"
)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

SECURE_COOKIES: bool = env.bool("SECURE_COOKIES", default=not DEMO_MODE)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT: bool = env.bool("SECURE_SSL_REDIRECT", default=False)
# One year outside the demo (which runs on plain HTTP on localhost).
SECURE_HSTS_SECONDS: int = env.int("SECURE_HSTS_SECONDS", default=0 if DEMO_MODE else 31_536_000)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# The demo serves static files straight from the package, without collectstatic.
WHITENOISE_USE_FINDERS = DEMO_MODE or DEBUG

# The demo writes its mail as files into var/mail/ (one file per message, for the user to read)
# unless a mail server is configured: it never loses mail silently to a localhost:25 that is not there.
DEMO_MAIL_TO_FILES = DEMO_MODE and "EMAIL_HOST" not in os.environ
EMAIL_BACKEND = (
    "django.core.mail.backends.filebased.EmailBackend"
    if DEMO_MAIL_TO_FILES
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST: str = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT: int = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER: str = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD: str = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS: bool = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL: str = env.str("DEFAULT_FROM_EMAIL", default="schutznetz@localhost")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: unauthenticated requests then get 401 with a WWW-Authenticate header.
        "schutznetz.accounts.authentication.ApiTokenAuthentication",
        "schutznetz.accounts.authentication.GermanSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["schutznetz.accounts.permissions.IsVerifiedUser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "schutznetz.kit.rest.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # The API speaks JSON only; form encodings would turn empty fields into values the schema forbids.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "schutznetz.kit.rest.exceptions.exception_handler",
    # OPTIONS answers 405: the OpenAPI schema describes the API, nothing else needs to.
    "DEFAULT_METADATA_CLASS": None,
    # Endpoints that search children or check free text are bounded per user (views: throttle_scope).
    "DEFAULT_THROTTLE_RATES": {
        "child_search": env.str("THROTTLE_CHILD_SEARCH", default="60/min"),
        "free_text": env.str("THROTTLE_FREE_TEXT", default="60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Schutznetz API",
    "DESCRIPTION": (
        "REST-Schnittstelle des Schutznetz: Netzwerk, Fälle und ihre Wege (medizinischer Kinderschutz, "
        "Jugendhilfe, Krisen), Treffen, Hilfen und Wissen. Fehler antworten auf Deutsch."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema is public in the demo only; in production it is for signed-in users.
    "SERVE_PERMISSIONS": [
        "rest_framework.permissions.AllowAny"
        if DEMO_MODE
        else "schutznetz.accounts.permissions.IsVerifiedUser"
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    # No deep links: their anchors sit inside each operation's button (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The operations described in German (``schutznetz.api.descriptions``), after the enum hook.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "schutznetz.api.descriptions.german_descriptions",
    ],
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "schutznetz.network.models.OrganisationKind",
        "ContactChannelKindEnum": "schutznetz.network.models.ContactChannelKind",
        "FederalStateEnum": "schutznetz.network.models.FederalState",
        "RoleEnum": "schutznetz.network.models.Role",
        "CaseRoleEnum": "schutznetz.cases.models.CaseRole",
        "ParticipationStatusEnum": "schutznetz.cases.models.ParticipationStatus",
        "TaskStatusEnum": "schutznetz.cases.models.TaskStatus",
        "CaseStateEnum": "schutznetz.cases.models.CaseState",
        "LegalBasisEnum": "schutznetz.cases.models.LegalBasis",
        "NotDoneReasonEnum": "schutznetz.medical.models.NotDoneReason",
        "CareReasonEnum": "schutznetz.welfare.models.CareReason",
        "SexEnum": "schutznetz.people.models.Sex",
        "HandoverKindEnum": "schutznetz.network.models.HandoverKind",
        "UrgencyEnum": "schutznetz.network.models.Urgency",
        "ResponseUnitEnum": "schutznetz.network.models.ResponseUnit",
        "MeetingKindEnum": "schutznetz.meetings.models.MeetingKind",
        "ReferralStatusEnum": "schutznetz.outreach.models.ReferralStatus",
        "CrisisUrgencyEnum": "schutznetz.crisis.models.CrisisUrgency",
        "CrisisStatusEnum": "schutznetz.crisis.models.CrisisStatus",
        "BookingOutcomeEnum": "schutznetz.outreach.models.BookingOutcome",
        "AssessmentOutcomeEnum": "schutznetz.welfare.models.Outcome",
        "TaskTriggerEnum": "schutznetz.cases.models.TaskTrigger",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "security": {"class": "logging.StreamHandler", "filters": ["one_line"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "filters": {"one_line": {"()": "schutznetz.kit.logging.OneLineFilter"}},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Refused requests (a tampered form, a bad host): one line, without the attacker's newlines
        # and without a traceback per request.
        "django.security": {"handlers": ["security"], "level": "WARNING", "propagate": False},
    },
}

NETWORK_NAME: str = env.str(
    "NETWORK_NAME", default="Netzwerk Kinderschutz Ruhr (Demo)" if DEMO_MODE else "Netzwerk Kinderschutz"
)
# Whom a professional without an account asks for one (shown before login).
ACCOUNT_CONTACT: str = env.str(
    "ACCOUNT_CONTACT",
    default="Netzwerkkoordination Kinderschutz im Jugendamt Dortmund (Demo), Tel. 0231 5000-1001"
    if DEMO_MODE
    else "",
)

# The areas a risk assessment (§ 8a SGB VIII) looks at: (code, label). A network may set its own
# catalogue; codes stay stable once used (earlier assessments keep theirs).
ASSESSMENT_AREAS: list[tuple[str, str]] = [
    ("basic_care", "Grundversorgung"),
    ("health", "Gesundheit"),
    ("supervision", "Aufsicht"),
    ("protection", "Schutz"),
    ("development", "Entwicklung"),
    ("parents", "Ressourcen und Mitwirkung der Eltern"),
]

# Days before a help plan's review (§ 36 Abs. 2 SGB VIII) on which its author is reminded.
HELP_PLAN_REVIEW_NOTICE_DAYS: int = env.int("HELP_PLAN_REVIEW_NOTICE_DAYS", default=14)

# Days the former Jugendamt keeps reading a case's history after the Jugendamt of the family's new
# address took it over (§ 8a Abs. 6 SGB VIII); every read is on the audit trail.
MOVE_HISTORY_READ_DAYS: int = env.int("MOVE_HISTORY_READ_DAYS", default=90)

# Public address of this instance, for links in e-mails.
SITE_URL: str = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Uploaded documents (signed agreements); served only through views that check access.
MEDIA_ROOT = VAR_DIR / "media"
