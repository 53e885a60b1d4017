"""A deployment behind HTTPS: the secret key and allowed hosts must come from the environment."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from healthgap.settings.base import *  # noqa: F403
from healthgap.settings.base import DEMO_SECRET_KEY, LOGGING, SECURITY_LOGGER, VAR_DIR

SECRET_KEY = os.environ.get("HEALTHGAP_SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY == DEMO_SECRET_KEY:
    raise ImproperlyConfigured("HEALTHGAP_SECRET_KEY must be set to a secret of your own")
ALLOWED_HOSTS = [h for h in os.environ.get("HEALTHGAP_ALLOWED_HOSTS", "").split(",") if h]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("HEALTHGAP_ALLOWED_HOSTS must list the site's host names")
DEBUG = False

SECURE_SSL_REDIRECT = os.environ.get("HEALTHGAP_SSL_REDIRECT", "1") == "1"
# Behind a proxy that terminates TLS and says so in this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CHECK_DEPLOY_AT_START = True
CSRF_COOKIE_SECURE = True

# Mail (password reset) through the deployment's SMTP server.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("HEALTHGAP_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("HEALTHGAP_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("HEALTHGAP_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HEALTHGAP_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("HEALTHGAP_EMAIL_TLS", "1") == "1"

# The security log (sign-in, lock-out, publish, withdraw, role change, unsuppressed export) also
# goes to a file a deployment keeps and reviews: var/log/security.log, or HEALTHGAP_SECURITY_LOG.
# WatchedFileHandler reopens the file after logrotate moves it.
SECURITY_LOG_FILE = Path(os.environ.get("HEALTHGAP_SECURITY_LOG", VAR_DIR / "log" / "security.log"))
SECURITY_LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
LOGGING["formatters"] = {
    "security": {
        "format": "%(asctime)s %(levelname)s %(message)s",
        "datefmt": "%Y-%m-%dT%H:%M:%S%z",
    }
}
LOGGING["handlers"]["security_file"] = {
    "class": "logging.handlers.WatchedFileHandler",
    "filename": str(SECURITY_LOG_FILE),
    "formatter": "security",
    "encoding": "utf-8",
}
LOGGING["loggers"][SECURITY_LOGGER]["handlers"] = ["console", "security_file"]
