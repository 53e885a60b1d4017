"""pytest: the base settings with a fast password hasher (test users are made by the thousand)."""

from healthgap.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# One process per test run: a local-memory cache, emptied between tests where they need it.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# The API's rate limit is tested on its own (override_settings); the fuzzer makes thousands.
API_RATE_LIMIT = "1000000/m"
