"""Settings shared by every environment: SQLite in ./var by default; DATABASE_URL=postgres://...
for PostgreSQL."""

import os
from pathlib import Path

import dj_database_url

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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "healthgap.areas",
    "healthgap.indicators",
    "healthgap.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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

LOGIN_URL = "/admin/login/"

# Outcome pages are cached (data and rendered HTML) under a key that changes with every import;
# HEALTHGAP_PAGE_CACHE=0 builds every page from the database (the uncached benchmark uses it).
PAGE_CACHE = os.environ.get("HEALTHGAP_PAGE_CACHE", "1") != "0"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Postcode search: an ONS postcode lookup (NSPL columns pcds, outcode, ladcd, wardcd). The demo
# bundles the CV and LE postcode areas; point HEALTHGAP_POSTCODE_LOOKUP at the national file.
POSTCODE_LOOKUP = os.environ.get(
    "HEALTHGAP_POSTCODE_LOOKUP",
    str(BASE_DIR / "demo_data" / "lookups" / "cv_le_postcodes_nspl21_aug2024.csv"),
)
