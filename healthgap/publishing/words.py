"""People, times and values in words, as the history and the stale-edit message show them."""

from __future__ import annotations

import datetime

from django.utils import timezone

SOMEONE = "Someone"  # a change made with no user: a command run without one, or a migration


def person_name(user) -> str:
    """'Amina Khan', else the username, else 'Someone'."""
    if user is None:
        return SOMEONE
    return user.get_full_name() or user.get_username()


def day_in_words(day: datetime.date) -> str:
    """'3 March 2026'."""
    return f"{day.day} {day:%B %Y}"


def time_and_day(moment: datetime.datetime) -> str:
    """'10:04 on 3 March 2026', in the site's time zone."""
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {day_in_words(local)}"


def day_and_time(moment: datetime.datetime) -> str:
    """'3 March 2026 at 10:04', in the site's time zone."""
    local = timezone.localtime(moment)
    return f"{day_in_words(local)} at {local:%H:%M}"


def value_in_words(field, value) -> str:
    """A field's stored value as a reader would say it: choices by label, dates in words,
    related objects by name, nothing as 'nothing'."""
    if value is None or value == "":
        return "nothing"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.is_relation and not hasattr(value, "pk"):
        related = field.related_model._base_manager.filter(pk=value).first()
        return "a removed item" if related is None else _related_name(related)
    if hasattr(value, "get_full_name"):
        return person_name(value)
    if isinstance(value, datetime.datetime):
        return day_and_time(value)
    if isinstance(value, datetime.date):
        return day_in_words(value)
    return str(value)


def _related_name(related) -> str:
    return person_name(related) if hasattr(related, "get_full_name") else str(related)
