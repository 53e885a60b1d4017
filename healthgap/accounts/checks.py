"""``healthgap check --deploy``: refuses demo users and the demo secret key."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

DEMO_KEY_ERROR = "healthgap.E001"
DEMO_USERS_ERROR = "healthgap.E002"


@register(Tags.security, deploy=True)
def check_no_demo_secrets(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    if settings.SECRET_KEY == settings.DEMO_SECRET_KEY:
        errors.append(
            Error(
                "SECRET_KEY is the demo key.",
                hint="Set HEALTHGAP_SECRET_KEY to a long random secret of your own.",
                id=DEMO_KEY_ERROR,
            )
        )
    names = demo_usernames()
    if names:
        errors.append(
            Error(
                f"{len(names)} demo user(s) exist, e.g. {names[0]!r}; their passwords are public.",
                hint="Delete them: healthgap delete-demo-users.",
                id=DEMO_USERS_ERROR,
            )
        )
    return errors


def demo_usernames() -> list[str]:
    from django.contrib.auth.models import User

    try:
        return list(
            User.objects.filter(profile__is_demo=True)
            .order_by("username")
            .values_list("username", flat=True)
        )
    except DatabaseError:  # tables not made yet: no users at all
        return []
