"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("WORKSAFE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Our apps come first: for a message both translate, Django uses the first app's catalogue, so
# our wording wins over Django's own ("Log out" is 退出登录, not the admin's 注销).
INSTALLED_APPS = [
    "worksafe.core",
    "worksafe.regions",
    "worksafe.audit",
    "worksafe.orgs",
    "worksafe.hazards",
    "worksafe.inspections",
    "worksafe.accidents",
    "worksafe.meetings",
    "worksafe.assessment",
    "worksafe.scale",
    "worksafe.ledgers",
    "worksafe.web",
    "worksafe.ops",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "ninja",  # serves Swagger UI for /api/v1/docs from our own static files, never a CDN
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "worksafe.core.middleware.RejectSurrogatesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "worksafe.orgs.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "worksafe.ops.security.DenialAuditMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "worksafe.urls"
WSGI_APPLICATION = "worksafe.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "worksafe.web.nav.context",
                "worksafe.web.context_processors.draft_owner",
            ],
        },
    }
]

if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'worksafe.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at BEGIN
    # so two writers queue instead of failing with "database is locked" halfway through.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "worksafe.ops.validators.LettersAndDigitsValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True  # the age above is an idle timeout, renewed by each request
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # A 4xx is the client's business, not an operator's: log server errors only.
    "loggers": {"django.request": {"level": "ERROR"}},
}

# --- WorkSafe rules that provinces tune (domain.md marks these as varying) ---

# API tokens live this long unless revoked.
WORKSAFE_TOKEN_TTL_HOURS = int(os.environ.get("WORKSAFE_TOKEN_TTL_HOURS", "12"))

# Escalation ladder for overdue hazards (design.md "Hazard lifecycle"): each step is reached
# once a hazard is at least this many days overdue; the sweep climbs one step per day at most.
WORKSAFE_ESCALATION_LADDER = [
    ("reminder", 1, _("Reminder")),
    ("warning", 3, _("Warning")),
    ("interview", 7, _("Interview (约谈)")),
    ("notification", 15, _("Public notification (通报)")),
    ("listed_supervision", 30, _("Listed supervision (挂牌督办)")),
]

# Evidence uploads: judged by content, not by name.
WORKSAFE_EVIDENCE_MAX_BYTES = int(os.environ.get("WORKSAFE_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
WORKSAFE_EVIDENCE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}

# An import running this long without a sign of life (one per row) had its worker die: a check
# is queued again, an import is marked failed (see ledgers.tasks.import_recover).
WORKSAFE_IMPORT_STALE_SECONDS = int(os.environ.get("WORKSAFE_IMPORT_STALE_SECONDS", "600"))

# A fine whose legal basis is not one of the listed articles (inspections/penalties.py) is at
# most this many yuan: the highest fine the Work Safety Law 2021 allows (domain.md §5).
WORKSAFE_FINE_CAP_YUAN = int(os.environ.get("WORKSAFE_FINE_CAP_YUAN", "100000000"))

# Default pass mark of an assessment period, in points: a subject with data scoring at least
# this much is qualified (合格); each period may set its own.
WORKSAFE_ASSESSMENT_PASS_MARK = int(os.environ.get("WORKSAFE_ASSESSMENT_PASS_MARK", "60"))

# Days to rectify proposed by level for hidden dangers an inspection registers.
WORKSAFE_INSPECTION_DUE_DAYS = {"general": 15, "major": 60}

# Art. 13 of the accident regulations asks for a supplementary report "in time" without a
# figure: the unit is given this many hours.
WORKSAFE_SUPPLEMENTARY_REPORT_HOURS = int(os.environ.get("WORKSAFE_SUPPLEMENTARY_REPORT_HOURS", "24"))

# A ledger upload is refused above this size or row count (a row costs a check and a write).
WORKSAFE_LEDGER_MAX_BYTES = int(os.environ.get("WORKSAFE_LEDGER_MAX_BYTES", str(5 * 1024 * 1024)))
WORKSAFE_LEDGER_MAX_ROWS = int(os.environ.get("WORKSAFE_LEDGER_MAX_ROWS", "5000"))

# --- Sign-in protection (worksafe.ops) ---
# Failed logins are counted per account: reaching the limit locks that account for the cool-off
# time, from every address. An address alone locks only at a much higher count (password
# spraying across accounts): behind a proxy or a NAT one address is many people. Admins unlock
# early in the admin site ("Access attempts") or with `manage.py axes_reset_username <name>`.
from datetime import timedelta  # noqa: E402
from ipaddress import ip_network  # noqa: E402

# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR ranges, comma-separated).
# Empty: the client is REMOTE_ADDR, whatever the headers say.
TRUSTED_PROXIES = tuple(
    ip_network(entry.strip(), strict=False)
    for entry in os.environ.get("TRUSTED_PROXIES", "").split(",")
    if entry.strip()
)

AUTHENTICATION_BACKENDS = [
    "worksafe.ops.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "100"))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns when no lockout counts by address; LockoutBackend counts addresses itself, against
# LOGIN_ADDRESS_FAILURE_LIMIT, so that one lockout never shuts out everyone behind a proxy.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_CLIENT_IP_CALLABLE = "worksafe.ops.security.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "worksafe.ops.security.axes_username"
AXES_LOCKOUT_CALLABLE = "worksafe.ops.security.lockout_response"
AXES_VERBOSE = False
