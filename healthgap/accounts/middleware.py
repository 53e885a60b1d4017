"""Session rules for signed-in users: an idle time-out, and responses that no cache keeps."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import patch_cache_control

LAST_SEEN_KEY = "healthgap_last_seen"
# Writing the session on every request would cost a database write per page: once a minute is
# precise enough for a time-out counted in minutes.
LAST_SEEN_RESOLUTION_SECONDS = 60


class IdleSessionMiddleware:
    """Signs out a user idle for ``SESSION_IDLE_MINUTES`` and sends them to sign in again, with
    the page they asked for as ``next``. Place it after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY, now)
            idle_minutes = settings.SESSION_IDLE_MINUTES
            if now - last_seen > idle_minutes * 60:
                logout(request)
                messages.info(
                    request,
                    f"Your session ended after {idle_minutes} minutes without activity. "
                    "Sign in again to carry on.",
                )
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if (
                now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS
                or LAST_SEEN_KEY not in request.session
            ):
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class SignedInNoStoreMiddleware:
    """Every response to a signed-in user is ``Cache-Control: private, no-store``: no browser or
    proxy cache keeps a page that may show internal work."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
