"""Settings shared by every environment.

Values that differ between machines come from the environment (see
``threshold.settings.env``); this module holds the decisions that do not.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from threshold.settings.database import with_jit_off
from threshold.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("THRESHOLD_DATA_DIR", str(BASE_DIR / "data")))

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

# Demo mode gives every demo persona a TOTP device from one published secret.
# It must never be on where real people sign in.
DEMO_MODE = env_bool("THRESHOLD_DEMO_MODE", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "threshold.core",
    "threshold.audit",
    "threshold.accounts",
    "threshold.access",
    "threshold.people",
    "threshold.concerns",
    "threshold.allegations",
    "threshold.chronology",
    "threshold.lado",
    "threshold.documents",
    "threshold.timescales",
    "threshold.notifications",
    "threshold.reports",
    "threshold.imports",
    "threshold.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "threshold.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "threshold.access.middleware.ScopeMiddleware",
    "threshold.accounts.middleware.SessionTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "threshold.accounts.middleware.MFARequiredMiddleware",
    "threshold.accounts.middleware.CurrentOrganisationMiddleware",
    # ADR 0021: after CSRF (its check runs in process_view, before this one's), auth and messages.
    "threshold.core.submissions.SubmissionMiddleware",
    "threshold.core.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "threshold.urls"
WSGI_APPLICATION = "threshold.wsgi.application"

TEMPLATES = [
    {
        # Our pages, and our versions of allauth's pages, are Jinja2 with the
        # GOV.UK Frontend macros.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "threshold" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "threshold.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "threshold.core.context.layout",
                "threshold.notifications.context.unread",
                # ADR 0021: ``csrf_input`` also renders a one-time submission token.
                "threshold.core.submissions.form_context",
            ],
        },
    },
    {
        # Only for the plain-text emails that allauth ships as Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
            ]
        },
    },
]

DATA_DIR.mkdir(parents=True, exist_ok=True)
SQLITE_OPTIONS = {
    # ADR 0003: WAL lets readers proceed during a write; FULL makes a commit
    # durable across power loss; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue instead of failing with "database is locked" mid-transaction.
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
_database_url = env_str("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
    elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # ADR 0020: each process borrows connections from a psycopg pool of at
        # most DATABASE_POOL_MAX_SIZE, so the server's connection count is
        # bounded by processes x pool size however many threads or requests
        # arrive (a per-thread persistent connection was 66 connections and
        # "too many clients" under 8 writers). The pool replaces CONN_MAX_AGE,
        # which Django refuses alongside it; health checks drop a connection
        # the server closed while it sat in the pool.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN_SIZE", 1, minimum=0),
            "max_size": env_int("DATABASE_POOL_MAX_SIZE", 4, minimum=1),
            # A request that cannot get a connection in 10 s fails (a 500)
            # rather than queueing without end behind a stuck one.
            "timeout": env_int("DATABASE_POOL_TIMEOUT_SECONDS", 10, minimum=1),
        }
        # ADR 0032: no JIT compilation. The access rules' subqueries make the planner's cost estimates large
        # (millions) for queries that run in milliseconds, and JIT then spent a second compiling each one.
        # Added to any options the URL gives. PgBouncer in transaction mode refuses startup options unless its
        # ``ignore_startup_parameters`` lists ``options``: there, set ``jit = off`` on the database instead.
        _options = DATABASES["default"]["OPTIONS"]
        _options["options"] = with_jit_off(str(_options.get("options", "")))
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "threshold.sqlite3"),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first so a locked-out username+IP is refused before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    # NCSC / NIST 800-63B: length and a common-password check; no composition
    # rules and no forced expiry. Django's rules, with messages that say what to do (threshold.accounts.passwords).
    {"NAME": "threshold.accounts.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "threshold.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "threshold.accounts.passwords.CommonPasswordValidator"},
]

# Sessions live in the database so that signing out or deactivation ends them
# on the server, and a second application server sees the same state.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "threshold_session"
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30, minimum=1)
SESSION_ABSOLUTE_TIMEOUT_HOURS = env_int("SESSION_ABSOLUTE_TIMEOUT_HOURS", 10, minimum=1)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Flash messages wait in the session, not in a cookie: Django's default keeps them in a signed (readable)
# cookie, and a message names a record or an organisation.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# allauth: email + password, invitation only, MFA by TOTP with recovery codes.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# "optional": nobody is blocked from signing in (invitations proved their address),
# but a new address must be confirmed by the link sent to it before it replaces the old.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_ADAPTER = "threshold.accounts.adapters.AccountAdapter"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {"login_failed": False}  # django-axes does this, keyed on username+IP
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Threshold: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# allauth's forms with messages written for each field (issue 17; threshold/accounts/account_forms.py).
ACCOUNT_FORMS = {
    "login": "threshold.accounts.account_forms.SignInForm",
    "reset_password": "threshold.accounts.account_forms.ResetPasswordForm",
    "reset_password_from_key": "threshold.accounts.account_forms.ResetPasswordKeyForm",
    "change_password": "threshold.accounts.account_forms.ChangePasswordForm",
    "add_email": "threshold.accounts.account_forms.AddEmailForm",
    "reauthenticate": "threshold.accounts.account_forms.ReauthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_FORMS = {
    "authenticate": "threshold.accounts.mfa_forms.AuthenticateForm",
    "reauthenticate": "threshold.accounts.mfa_forms.ReauthenticateForm",
}
MFA_CODE_FAILURE_LIMIT = env_int("MFA_CODE_FAILURE_LIMIT", 5, minimum=1)
MFA_CODE_FAILURE_WINDOW_MINUTES = env_int("MFA_CODE_FAILURE_WINDOW_MINUTES", 15, minimum=1)
MFA_TOTP_ISSUER = "Threshold"
# Accept the code from the 30-second step either side (RFC 6238's recommended
# allowance for clock drift); used codes are still refused for replay.
MFA_TOTP_TOLERANCE = 1
# allauth blocks adding an address to an MFA account to stop sign-up squatting
# on unverified addresses. Accounts here come only from invitations (which prove
# the address), and a change of address still takes effect only when the link
# sent to the new address is followed, so the block would only make email
# changes impossible for everyone.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_ADAPTER = "threshold.accounts.adapters.MFAAdapter"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# django-axes: lock the pair (username, IP), never the username alone, so that
# nobody can lock a colleague out from everywhere by guessing wrongly.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "threshold.accounts.lockout.username_from_request"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "threshold.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_IPWARE_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# The same client address the audit trail records, honouring TRUSTED_PROXY_COUNT
# (django-ipware, which axes would otherwise need for that, is not installed).
AXES_CLIENT_IP_CALLABLE = "threshold.accounts.lockout.client_ip"

# Security headers. CSP is strict: no inline script except with a nonce.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
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

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "threshold" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "outbox"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "threshold@threshold.example")
# Where people reach Threshold: the links in emails (reminders, digests) start with it.
THRESHOLD_BASE_URL = env_str("THRESHOLD_BASE_URL", "http://127.0.0.1:8000")
# Uploaded documents live outside the web root, under generated names.
DOCUMENT_ROOT = Path(env_str("DOCUMENT_ROOT", str(DATA_DIR / "documents")))
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# Lists out to spreadsheets: longer than this, written in the background to files kept outside the web root
# for EXPORT_VALID_HOURS, for the person who asked alone (threshold.reports.exports).
EXPORT_INLINE_LIMIT = env_int("EXPORT_INLINE_LIMIT", 2000, minimum=1)
EXPORT_ROOT = Path(env_str("EXPORT_ROOT", str(DATA_DIR / "exports")))
EXPORT_VALID_HOURS = env_int("EXPORT_VALID_HOURS", 24, minimum=1)
# The largest spreadsheet an import of earlier records accepts (threshold.imports; docs/import.md).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# Large uploads wait on the private data disk, readable only by us, until checked.
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "uploads-in-progress")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_PERMISSIONS = 0o600
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7, minimum=1)
# After an administrator resets someone's sign-in, the link that proves they
# still hold their address works once, for this long; they can ask for another.
SIGN_IN_RESET_LINK_VALID_MINUTES = env_int("SIGN_IN_RESET_LINK_VALID_MINUTES", 60, minimum=5)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact": {"()": "threshold.core.logging.RedactSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    # Request paths never carry personal data (ids only), but request bodies
    # would: nothing here logs them.
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint narrates every step and every screen-only CSS rule it skips; a PDF's only real problem is a
        # refused address, which the print pages never contain (threshold/reports/pdf.py).
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# The audit chain's HMAC key (ADR 0005). Keep it out of the database; by
# default it is derived from SECRET_KEY.
AUDIT_CHAIN_KEY = env_str("AUDIT_CHAIN_KEY", "")
CSRF_FAILURE_VIEW = "threshold.core.views.csrf_failure"
CACHES = {
    # Shared by every application server: allauth's used-TOTP-code list and
    # rate limits must not live in one process's memory.
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "threshold_cache"}
}

# Panels on the home page, from each feature: functions (request) -> dict | None. A panel that lists records
# says which under "listed", and the page writes one audit event naming them all (HOME_LISTED).
HOME_PANELS: list[str] = [
    "threshold.timescales.home.panel",
    "threshold.concerns.home.panel",
    "threshold.allegations.home.panel",
    "threshold.lado.home.panel",
    "threshold.lado.partner_home.panel",
]
HOME_LISTED = "threshold.audit.views.home_listed"

# Who the privacy notice and accessibility statement name. The defaults are
# synthetic (the demo world's); a deployment sets its own (README, production).
PRIVACY_CONTROLLER_NAME = env_str("PRIVACY_CONTROLLER_NAME", "Northshire Council (synthetic demo controller)")
PRIVACY_CONTROLLER_CONTACT = env_str("PRIVACY_CONTROLLER_CONTACT", "information.governance@northshire.example")
PRIVACY_DPO_CONTACT = env_str("PRIVACY_DPO_CONTACT", "Data Protection Officer, dpo@northshire.example")
ACCESSIBILITY_CONTACT = env_str("ACCESSIBILITY_CONTACT", "accessibility@threshold.example")
