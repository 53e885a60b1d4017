"""A deployment behind HTTPS: the secret key and allowed hosts must come from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from healthgap.settings.base import *  # noqa: F403
from healthgap.settings.base import DEMO_SECRET_KEY

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
