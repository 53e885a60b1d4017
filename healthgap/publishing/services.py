"""Every change to a publishable or versioned item goes through here: creation, an edit checked
against the version the editor started from, publish and withdraw. Each save records the acting
user in the item's history (explicitly, so that commands without a request are attributed too)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from healthgap.constants import SECURITY_LOGGER
from healthgap.publishing.cache import bump_publication_stamp
from healthgap.publishing.history import FieldChange, changes_since
from healthgap.publishing.models import PublicationState, Publishable
from healthgap.publishing.words import person_name, time_and_day

security_log = logging.getLogger(SECURITY_LOGGER)


class PublicationError(ValueError):
    """A publish or withdraw that cannot be done as asked (the message says why)."""


class StaleEdit(Exception):
    """A save from a form opened at an older version: someone else saved in between."""

    def __init__(self, item, by: str, at, changes: list[FieldChange], current_version: int):
        self.item, self.by, self.at = item, by, at
        self.changes, self.current_version = changes, current_version
        noun = item._meta.verbose_name
        super().__init__(f"{by} changed this {noun} at {time_and_day(at)} while you were editing")


def _save_as(item, user) -> None:
    item._history_user = user  # django-simple-history records this user, request or not
    try:
        item.save()
    finally:
        del item._history_user


def create(item, user):
    """Saves a new item at version 1, recording who created it."""
    item.version = 1
    _save_as(item, user)
    return item


def save_versioned(item, user, expected_version: int):
    """Saves ``item`` only if it is still at ``expected_version`` (the version its editor
    started from), raising it by one; otherwise raises ``StaleEdit``. The conditional UPDATE
    claims the new version atomically, so of two saves from the same version one wins. A save
    that changes what the public sees (a published item, before or after) renews the
    publication stamp once committed, so that no cached public page shows the old state."""
    model = type(item)
    with transaction.atomic():
        claimed = model._base_manager.filter(pk=item.pk, version=expected_version).update(
            version=expected_version + 1
        )
        if not claimed:
            raise _stale_edit(item, expected_version)
        # Read after the claim, which holds the row: its state as stored, before this save.
        was_public = _is_public(model._base_manager.filter(pk=item.pk))
        item.version = expected_version + 1
        _save_as(item, user)
        if was_public or getattr(item, "is_published", False):
            # Other workers must not rebuild a page from the old state before this commits.
            transaction.on_commit(bump_publication_stamp)
    return item


def _is_public(rows) -> bool:
    if not issubclass(rows.model, Publishable):
        return False
    return rows.filter(publication_state=PublicationState.PUBLISHED).exists()


def _stale_edit(item, expected_version: int) -> StaleEdit:
    newest, changes = changes_since(item, expected_version)
    current = type(item)._base_manager.filter(pk=item.pk).values_list("version", flat=True)
    who = person_name(newest.history_user) if newest else person_name(None)
    at = newest.history_date if newest else timezone.now()
    return StaleEdit(item, who, at, changes, current.first() or expected_version)


def publish(item, user):
    """Makes a draft or withdrawn item public."""
    if item.publication_state == PublicationState.PUBLISHED:
        raise PublicationError(f"This {item_noun_of(item)} is already published.")
    item.publication_state = PublicationState.PUBLISHED
    item.published_at, item.published_by = timezone.now(), user
    item.withdrawn_at, item.withdrawn_by, item.withdrawn_reason = None, None, ""
    saved = save_versioned(item, user, item.version)
    security_log.info("%s published %s", _username(user), _described(item))
    return saved


def withdraw(item, user, reason: str):
    """Takes a published item off the public site; the reason is required and kept."""
    reason = (reason or "").strip()
    if not reason:
        raise PublicationError("Give the reason for withdrawing it.")
    if item.publication_state != PublicationState.PUBLISHED:
        raise PublicationError(f"Only a published {item_noun_of(item)} can be withdrawn.")
    item.publication_state = PublicationState.WITHDRAWN
    item.withdrawn_at, item.withdrawn_by, item.withdrawn_reason = timezone.now(), user, reason
    saved = save_versioned(item, user, item.version)
    security_log.info("%s withdrew %s: %s", _username(user), _described(item), reason)
    return saved


def _username(user) -> str:
    return user.get_username() if user is not None else "the system"


def _described(item) -> str:
    return f"{item_noun_of(item)} {item.pk} ({item})"


def item_noun_of(item) -> str:
    return str(item._meta.verbose_name)
