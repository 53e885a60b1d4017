"""The history of an item in words, from django-simple-history's records: what changed,
who changed it and when."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from healthgap.publishing.models import PublicationState
from healthgap.publishing.words import day_and_time, person_name, value_in_words

STATE_FIELD = "publication_state"


@dataclass(frozen=True)
class FieldChange:
    field: str  # the field's name as a reader knows it: "summary"
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    who: str
    sentences: list[str]
    changes: list[FieldChange] = field(default_factory=list)


def field_changes(old_record, new_record) -> list[FieldChange]:
    """What differs between two records of one item, field by field (editable fields only:
    the version and the publication bookkeeping are described otherwise)."""
    if old_record is None:
        return []
    meta = new_record.instance_type._meta
    delta = new_record.diff_against(old_record)
    changes = []
    for change in delta.changes:
        model_field = meta.get_field(change.field)
        changes.append(
            FieldChange(
                str(model_field.verbose_name),
                value_in_words(model_field, change.old),
                value_in_words(model_field, change.new),
            )
        )
    return changes


def item_noun(record) -> str:
    return str(record.instance_type._meta.verbose_name)


def _state_sentence(record, noun: str) -> str:
    state = getattr(record, STATE_FIELD)
    if state == PublicationState.PUBLISHED:
        return f"published this {noun}"
    if state == PublicationState.WITHDRAWN:
        return f"withdrew this {noun} (reason: {record.withdrawn_reason})"
    return f"returned this {noun} to draft"


def _state_label(model) -> str | None:
    """The publication state's label, or None for a model that is not publishable (such as a
    milestone), whose changes are all described field by field."""
    names = {field.name for field in model._meta.get_fields()}
    if STATE_FIELD not in names:
        return None
    return str(model._meta.get_field(STATE_FIELD).verbose_name)


def describe(record, previous=None) -> HistoryEntry:
    """One record in words: "Amina Khan changed the summary from 'x' to 'y' on 3 March 2026 at
    10:04"; created, deleted, published and withdrawn likewise."""
    who, when = person_name(record.history_user), day_and_time(record.history_date)
    noun = item_noun(record)
    if record.history_type == "+":
        return HistoryEntry(record.history_date, who, [f"{who} created this {noun} on {when}."])
    if record.history_type == "-":
        return HistoryEntry(record.history_date, who, [f"{who} deleted this {noun} on {when}."])
    changes = field_changes(previous, record)
    state_label = _state_label(record.instance_type)
    sentences = []
    for change in changes:
        if change.field == state_label:
            sentences.append(f"{who} {_state_sentence(record, noun)} on {when}.")
        else:
            sentences.append(
                f"{who} changed the {change.field} from '{change.before}' to '{change.after}' "
                f"on {when}."
            )
    if not sentences:
        sentences.append(f"{who} saved this {noun} without changes on {when}.")
    return HistoryEntry(record.history_date, who, sentences, changes)


def item_history(item) -> list[HistoryEntry]:
    """Every change to an item, newest first."""
    # In the order they were made (the record's id), which a clock set back cannot disturb.
    records = list(item.history.select_related("history_user").order_by("pk"))
    entries, previous = [], None
    for record in records:
        entries.append(describe(record, previous))
        previous = record
    return entries[::-1]


def changes_since(item, version: int) -> tuple[object | None, list[FieldChange]]:
    """The newest record of an item and what changed since the item's ``version``."""
    history = item.history.select_related("history_user").order_by("-pk")
    newest = history.first()
    baseline = history.filter(version=version).first()
    if newest is None:
        return None, []
    return newest, field_changes(baseline, newest)
