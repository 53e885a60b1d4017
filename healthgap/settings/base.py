"""Settings shared by every environment: SQLite in ./var by default; DATABASE_URL=postgres://...
for PostgreSQL."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from healthgap.constants import SECURITY_LOGGER

BASE_DIR = Path(__file__).resolve().parents[1]
VAR_DIR = Path(os.environ.get("HEALTHGAP_VAR", BASE_DIR.parent / "var"))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

# The demo runs on a developer's own machine; a deployment sets its own secret and hosts.
DEMO_SECRET_KEY = "healthgap-local-demo-key-not-for-production"
SECRET_KEY = os.environ.get("HEALTHGAP_SECRET_KEY", DEMO_SECRET_KEY)
DEBUG = os.environ.get("HEALTHGAP_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("HEALTHGAP_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
    ","
)

INSTALLED_APPS = [
    "healthgap.accounts.apps.VerifiedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "healthgap.areas",
    "healthgap.indicators",
    "healthgap.ingest",
    "healthgap.demo",
    "healthgap.web",
    # Accounts and sign-in security
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "healthgap.accounts",
]

# Publishing: history of every change (django-simple-history), object permissions (rules),
# publication states, and the delivery plan's first editable item.
INSTALLED_APPS += [
    "simple_history",
    "healthgap.publishing",
    "healthgap.delivery",
]

# Closing the gap: deaths counted from record-level extracts, published deaths.
INSTALLED_APPS += ["healthgap.mortality"]
# Board governance: committees, members, meetings, agenda balance, actions, interests.
INSTALLED_APPS += ["healthgap.board"]
# Improvement: peer challenge, self-assessment, letter and recommendations tracked to done.
INSTALLED_APPS += ["healthgap.improvement"]
# The knowledge hub: JSNA chapters, needs assessments, evaluations and research, searchable.
INSTALLED_APPS += ["healthgap.knowledge"]
# Uploaded documents (served through the hub's views, which check publication, never directly).
MEDIA_ROOT = VAR_DIR / "media"

# Inside the city (issue 12): GP practices.
INSTALLED_APPS += ["healthgap.practices", "healthgap.places"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view: a null character in a filter would make PostgreSQL answer 500.
    "healthgap.web.middleware.NullCharacterMiddleware",
    "healthgap.accounts.middleware.IdleSessionMiddleware",
    "healthgap.web.middleware.TwoStepMiddleware",
    "healthgap.accounts.middleware.SignedInNoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# Publishing: every history record made during a request names the signed-in user.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "simple_history.middleware.HistoryRequestMiddleware",
)
# Publishing: object permissions (who may edit or publish which item) from django-rules.
ROOT_URLCONF = "healthgap.urls"
WSGI_APPLICATION = "healthgap.wsgi.application"

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
                "healthgap.web.assets.assets",
                "healthgap.web.workspace.navigation",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'healthgap.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while an import writes; the timeout waits for the writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# ---- Accounts and sign-in security (docs/roles.md) ----
# Demo mode (HEALTHGAP_DEMO=1, set by `make run`): load-demo also creates the demo users.
DEMO_MODE = os.environ.get("HEALTHGAP_DEMO", "0") == "1"
LOGIN_URL = "/account/sign-in"
LOGIN_REDIRECT_URL = "/workspace/"
LOGOUT_REDIRECT_URL = LOGIN_URL
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] = {"min_length": 12}
# django-axes: 5 failures for one user name from one address lock that pair out for a while.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_MINUTES = int(os.environ.get("HEALTHGAP_LOCKOUT_MINUTES", "15"))
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "healthgap.web.account_views.locked_out"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "healthgap"
# Sessions: cookies out of scripts' reach, not sent on cross-site posts; ended when idle.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "healthgap.web.account_views.csrf_failure"
SESSION_IDLE_MINUTES = int(os.environ.get("HEALTHGAP_SESSION_IDLE_MINUTES", "60"))
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Production sets it: `healthgap serve` runs `check --deploy` first and will not start on errors.
CHECK_DEPLOY_AT_START = False
DEFAULT_FROM_EMAIL = os.environ.get("HEALTHGAP_FROM_EMAIL", "healthgap <noreply@localhost>")

# Outcome pages are cached (data and rendered HTML) under a key that changes with every import;
# HEALTHGAP_PAGE_CACHE=0 builds every page from the database (the uncached benchmark uses it).
PAGE_CACHE = os.environ.get("HEALTHGAP_PAGE_CACHE", "1") != "0"

# Publishing: one cache shared by every server worker, so that a publish or withdraw (which
# changes the publication stamp in it) is seen by all of them at once. Files under var/ by
# default: nothing to set up, and no writes competing with imports for SQLite's one writer (as
# a database cache would); Redis when HEALTHGAP_CACHE_URL is set (pip install 'healthgap[redis]')
# for servers on several machines.
CACHE_URL = os.environ.get("HEALTHGAP_CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {SECURITY_LOGGER: {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Postcode search: an ONS postcode lookup (NSPL columns pcds, outcode, ladcd, wardcd). The demo
# bundles the CV and LE postcode areas; point HEALTHGAP_POSTCODE_LOOKUP at the national file.
POSTCODE_LOOKUP = os.environ.get(
    "HEALTHGAP_POSTCODE_LOOKUP",
    str(BASE_DIR / "demo" / "data" / "lookups" / "cv_le_postcodes_nspl21_aug2024.csv"),
)
# ---- The open-data API (/api/v1/, /api/ for Fingertips' clients) ----
INSTALLED_APPS += ["ninja"]
# Requests per client (IP address) allowed per period: "600/m", "10000/h" ...
API_RATE_LIMIT = os.environ.get("HEALTHGAP_API_RATE_LIMIT", "600/m")
# How long a client or proxy may reuse a public answer before asking again (with its ETag).
API_CACHE_SECONDS = int(os.environ.get("HEALTHGAP_API_CACHE_SECONDS", "300"))
# Proxies in front of the server: 0 = rate limit by the connecting address (X-Forwarded-For,
# which any client can write, is believed only for that many proxies).
NINJA_NUM_PROXIES = int(os.environ.get("HEALTHGAP_PROXIES", "0"))
# ---- Security headers (docs/security.md) ----
# A strict Content Security Policy (django-csp): scripts, styles and everything else from this
# site only, nothing inline (chart specs are JSON data blocks, which are never run), no framing.
INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Vega's "save as PNG" draws the chart to a data: image.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Where the accessibility statement (/about/accessibility) tells people to report a problem.
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get(
    "HEALTHGAP_ACCESSIBILITY_EMAIL", "accessibility@healthgap.invalid"
)
