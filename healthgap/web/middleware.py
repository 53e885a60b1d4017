"""A user who has set up two-step verification is signed in only once they enter a code: until
then every page but the code page and sign-out sends them to enter it."""

from __future__ import annotations

from urllib.parse import urlencode

import django_otp
from django.shortcuts import redirect
from django.urls import reverse

from healthgap.web.formats import DATA_FORMATS, error_response

NULL_CHARACTER_MESSAGE = (
    "Nothing matches an address holding a null character (%00): remove it and try again."
)


class NullCharacterMiddleware:
    """Answers a query string holding a null character with a 404 in the site's one error shape.
    PostgreSQL cannot compare text with a null character in it, so otherwise any filter that
    reaches a query would answer 500. It is a 404, not a 400, because the value is well formed
    (the API's description allows any text) and simply matches nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in "".join([key, *values]) for key, values in request.GET.lists()):
            extension = request.path.rsplit(".", 1)[-1]
            wants_data = request.path.startswith("/api/") or extension in DATA_FORMATS
            return error_response(
                request, 404, NULL_CHARACTER_MESSAGE, "json" if wants_data else None
            )
        return self.get_response(request)


class TwoStepMiddleware:
    """Place it after django_otp's OTPMiddleware."""

    OPEN_URL_NAMES = ("web:two_step_verify", "web:sign_out")

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: set[str] | None = None

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and request.path not in self.open_paths()
            and django_otp.user_has_device(user)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('web:two_step_verify')}?{query}")
        return self.get_response(request)

    def open_paths(self) -> set[str]:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in self.OPEN_URL_NAMES}
        return self._open_paths
