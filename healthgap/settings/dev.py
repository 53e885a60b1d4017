"""A developer's machine and ``make run``: a local secret key is allowed, DEBUG is optional."""

from healthgap.settings.base import *  # noqa: F403
