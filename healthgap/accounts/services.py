"""The only code that writes users, organisations and roles (views and the demo call these)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.auth.models import Group, User
from django.db import transaction

from healthgap.accounts.models import Organisation, Profile
from healthgap.constants import SECURITY_LOGGER, Role

security_log = logging.getLogger(SECURITY_LOGGER)


class UnknownRoleError(ValueError):
    """A role name that is not one of ``Role.ALL``."""


def _groups(roles: Iterable[str]) -> list[Group]:
    roles = list(roles)
    unknown = sorted(set(roles) - set(Role.ALL))
    if unknown:
        raise UnknownRoleError(f"Unknown role(s) {unknown}; roles are {list(Role.ALL)}")
    return [Group.objects.get_or_create(name=role)[0] for role in roles]


@transaction.atomic
def create_user(
    username: str,
    password: str,
    *,
    organisation: Organisation | None = None,
    roles: Iterable[str] = (),
    job_title: str = "",
    is_demo: bool = False,
    **names,
) -> User:
    """A user with a profile in ``organisation`` holding ``roles`` (``names``: first_name,
    last_name, email)."""
    groups = _groups(roles)
    user = User.objects.create_user(username, password=password, **names)
    Profile.objects.create(
        user=user, organisation=organisation, job_title=job_title, is_demo=is_demo
    )
    _apply_groups(user, groups)
    security_log.info("user %s created with roles %s", username, sorted(roles))
    return user


@transaction.atomic
def set_roles(user: User, roles: Iterable[str], *, changed_by: User | None = None) -> None:
    """Replaces the user's roles; the change is logged to ``healthgap.security``."""
    groups = _groups(roles)
    before = sorted(user.groups.values_list("name", flat=True))
    _apply_groups(user, groups)
    after = sorted(group.name for group in groups)
    security_log.info(
        "roles of %s changed from %s to %s by %s",
        user.get_username(),
        before,
        after,
        changed_by.get_username() if changed_by else "the system",
    )


def _apply_groups(user: User, groups: list[Group]) -> None:
    user.groups.set(groups)
    # Administrators manage accounts in Django's admin, which requires staff status.
    user.is_staff = any(group.name == Role.ADMINISTRATOR for group in groups)
    user.save(update_fields=["is_staff"])
    for cache in ("_group_names_cache", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)


def get_or_create_organisation(name: str, sector: str, area=None) -> Organisation:
    return Organisation.objects.get_or_create(name=name, defaults={"sector": sector, "area": area})[
        0
    ]


@transaction.atomic
def delete_demo_users() -> int:
    """Deletes every user the demo loader made; returns how many."""
    users = User.objects.filter(profile__is_demo=True)
    names = sorted(users.values_list("username", flat=True))
    users.delete()
    security_log.info("demo users deleted: %s", names)
    return len(names)
