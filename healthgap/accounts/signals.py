"""Sign-in events written to the ``healthgap.security`` log (axes keeps its own records too)."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from healthgap.constants import SECURITY_LOGGER

security_log = logging.getLogger(SECURITY_LOGGER)


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "?") if request is not None else "?"


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    security_log.warning(
        "failed sign-in for %r from %s", credentials.get("username"), _address(request)
    )


@receiver(user_locked_out)
def log_lock_out(sender, request=None, username=None, ip_address=None, **kwargs):
    security_log.warning(
        "account %r locked out after repeated failures from %s", username, ip_address
    )


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    security_log.info("%s signed in from %s", user.get_username(), _address(request))


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs):
    if user is not None:
        security_log.info("%s signed out", user.get_username())
