"""Users with workspace roles, for the publishing and delivery tests. The groups are the
accounts app's (``healthgap.constants.Role``); tests make the ones they need."""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User

from healthgap.delivery.models import Programme
from healthgap.publishing import services

UTC = ZoneInfo("UTC")


def person(username: str, full_name: str, *roles: str) -> User:
    first, last = full_name.split(" ", 1)
    user = User.objects.create_user(username, first_name=first, last_name=last, password="pw")
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def programme(creator, **fields) -> Programme:
    values = {"name": "Smokefree Coventry", "summary": "Halve smoking by 2030.", **fields}
    return services.create(Programme(**values), creator)


def set_last_change_time(item, moment: datetime.datetime) -> None:
    """Dates the item's newest history record: history is stamped with the clock, and the
    worked examples need a known time."""
    newest = item.history.order_by("-pk").first()
    type(newest).objects.filter(pk=newest.pk).update(history_date=moment)
