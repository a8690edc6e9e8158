"""Settings read from the environment; the defaults are the embedded demo (SQLite, no servers)."""

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    REDIS_URL=(str, ""),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
# A development key only with DEBUG on: a server with DEBUG off never starts on a key anyone can read here.
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the portal refuses to start on a known key: set SECRET_KEY "
            'in the environment (50 or more random characters, e.g. `python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"`), or DEBUG=1 on a development machine.'
        )
    SECRET_KEY = "dev-only-insecure-key-used-with-debug-on"
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "party_portal",
    "django_htmx",
    "simple_history",
    "rest_framework",
    "knox",
    "axes",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "organizations",
    "members",
    "evaluations",
    "indicators",
    "reviews",
    "reports",
    "users",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "party_portal.doors.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # GET and HEAD requests read their user's scope once per day asked (organizations/scoping.py).
    "organizations.scoping.ScopeMemoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "party_portal.doors.DoorMiddleware",
    # After authentication: a user holding an initial password may only replace it (users/middleware.py).
    "users.middleware.InitialPasswordMiddleware",
    # Last: turns a login refused by the lockout into the lockout page (party_portal/lockout.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "party_portal.urls"
WSGI_APPLICATION = "party_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organizations.context_processors.allowed_actions",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the demo worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so a real Celery worker started by a test can open the test database.
    # One file per test run, so two runs on one machine do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    # Keep connections between requests: the dashboard's cached requests spend more time connecting
    # than querying (measured in bench/dashboard_load.py).
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A PostgreSQL streaming replica of DATABASE_URL for the read-only traffic: the dashboards', reports' and API's
# GET requests and the report jobs' computation read there (party_portal/db_routers.py). Unset: one database.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
# After any other request the browser reads from the primary for so many seconds (it sees its own writes).
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=5)
# A report job waits up to so long for the replica to replay what the primary had committed, else reads the primary.
REPLICA_CATCH_UP_SECONDS = env.int("REPLICA_CATCH_UP_SECONDS", default=10)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"].get("CONN_MAX_AGE", 0))
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # The test suite has one database: the replica's alias reads it too.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["party_portal.db_routers.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "party_portal.db_routers.ReplicaReadsMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "party_portal.passwords.DemoPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses any login attempt while its user or address is locked out.
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, refusing the demo password with DEBUG off.
    "party_portal.passwords.PortalModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# dd/mm/yyyy and the decimal comma, whatever the UI language (Django's vi formats spell dates out).
FORMAT_MODULE_PATH = ["party_portal.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# An issued report's number is "<sequence of the year>-<this>" (the provincial Organization Board's reports).
REPORT_NUMBER_SUFFIX = env("REPORT_NUMBER_SUFFIX", default="BC/BTCTU")

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    # Longer than the longest report or import job, so an unacked job is not redelivered mid-run.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4 * 3600}
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # A real worker on a broker that needs no server: kombu's filesystem transport.
    _queue_dir = VAR_DIR / "celery"
    for _sub in ("out", "processed", "control", "results"):
        (_queue_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "out"),
        "data_folder_out": str(_queue_dir / "out"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{_queue_dir / 'results'}"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Results are kept only by the tasks that set ignore_result=False: the fanned-out snapshot refresh's chord
# (indicators.fanout), whose last step reads its partitions' results from the backend above.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# A worker child whose resident memory passed this (KiB) after a task is replaced by a fresh one (prefork pool).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=1_000_000)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "knox.auth.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "party_portal.api_parsers.ApiContentNegotiation",
    # Every DRF view, including the token views, answers JSON errors in the one shape (party_portal/api_errors.py).
    "DEFAULT_PARSER_CLASSES": ["party_portal.api_parsers.ApiJSONParser"],
    "EXCEPTION_HANDLER": "party_portal.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Party Portal API",
    "DESCRIPTION": "Organizations, members, ratings, indicators and reports of the provincial action program "
    "2020–2025, scoped to the caller's part of the party organization tree.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "kind" or a "level" field with their own choices: name each enum after its choices
    # (here rather than on the schema view, so that `check --deploy` and `spectacular --validate` see them too).
    "ENUM_NAME_OVERRIDES": {
        "OrgKindEnum": "organizations.models.OrgKind",
        "OrgLevelEnum": "organizations.models.OrgLevel",
        "ReorganizationKindEnum": "organizations.models.ReorganizationKind",
        "MovementKindEnum": "members.models.MovementKind",
        "StatusKindEnum": "members.models.StatusKind",
        "DisciplineKindEnum": "members.models.DisciplineKind",
        "TheoryLevelEnum": "members.models.TheoryLevel",
        "RatingLevelEnum": "evaluations.models.Level",
        "SubmissionStateEnum": "evaluations.models.SubmissionState",
        "RunStatusEnum": "reports.models.RunStatus",
        "RoleKindEnum": "organizations.models.RoleKind",
        "FigureStatusEnum": "indicators.api.STATUSES",
    },
    # `<id:...>` path parameters (party_portal.api_base.IdConverter): a 64-bit id.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}},
}
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Uploaded import files are checked before they are parsed (party_portal/imports/inspection.py); the import page
# states these limits. A members file of 100,000 rows written from the template unpacks to about 80 MB.
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=40 * 2**20)
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=200 * 2**20)
# Sheets written by Excel or the templates unpack to 5-30 times their packed size; a bomb, to 1,000 times.
IMPORT_MAX_COMPRESSION_RATIO = env.int("IMPORT_MAX_COMPRESSION_RATIO", default=100)
IMPORT_MAX_ZIP_MEMBERS = env.int("IMPORT_MAX_ZIP_MEMBERS", default=1000)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=50)
# A job whose worker died this many times while on it (killed for its memory, say) fails instead of starting again.
IMPORT_MAX_ATTEMPTS = env.int("IMPORT_MAX_ATTEMPTS", default=2)

# --- Login, sessions and API tokens (docs/decisions.md, "Security hardening (issue 9)") ---
# Lockout (django-axes) on every door that checks a password: the portal's login, the admin's, /api/token/.
# Failures are counted per (username, address) and per address: a wrong guess locks that pair out after
# LOGIN_FAILURE_LIMIT failures, an address trying many usernames after LOGIN_ADDRESS_FAILURE_LIMIT; nobody can
# lock a user out from another address.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "party_portal.lockout.PortalAxesHandler"
AXES_LOCKOUT_CALLABLE = "party_portal.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "party_portal.lockout.client_address"
# Attempts made while locked out do not extend the lockout: it ends LOGIN_COOLOFF_MINUTES after the last
# counted failure, as the lockout page says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
# Behind N reverse proxies that each append to X-Forwarded-For, the client is the Nth address from the right.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# API tokens (django-rest-knox): stored hashed, expire, revoked by logout, password change and deactivation.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_HOURS", default=10)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=10 * 3600)

# Password reset e-mail: printed on the console unless EMAIL_URL (smtp+tls://user:password@host:587) or
# EMAIL_HOST names an SMTP server.
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif env("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Party Portal <no-reply@localhost>")
# The portal's address, put before the links of the notification e-mails ("https://portal.example.vn").
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="")

# Reminders (reviews.reminders, run daily by Celery beat): a plan or yearly review due in so many days (each a
# reminder of its own), and ratings waiting for the level above's approval for more than so many days.
REMINDER_DAYS = tuple(env.list("REMINDER_DAYS", cast=int, default=[7, 1]))
APPROVAL_WAIT_DAYS = env.int("APPROVAL_WAIT_DAYS", default=7)
# A review returned or received is announced by the next run; one decided longer ago than this is not (the first
# run after an upgrade does not announce years of past decisions).
REMINDER_DECISION_DAYS = env.int("REMINDER_DECISION_DAYS", default=7)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 3600)

# --- HTTPS: on by default with DEBUG off; each can be set by the environment ---
# Behind a proxy that terminates TLS: SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https (the proxy must set
# that header itself), and SECURE_SSL_REDIRECT=0 if the proxy already redirects http to https.
SECURE_PROXY_SSL_HEADER = tuple(env.list("SECURE_PROXY_SSL_HEADER", default=[])) or None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)

# --- Content-Security-Policy (django-csp): scripts and styles from the portal's own static files only ---
# The API docs pages relax it for themselves only (party_portal/api_urls.py).
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
