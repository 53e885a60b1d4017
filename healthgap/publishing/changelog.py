"""The site-wide change log: every history record of every model with history, and every
indicator import (recorded once per file, not per row), newest first, filtered by person, model
and date, and merged page by page without loading more than the page asks for."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from simple_history.models import registered_models

from healthgap.indicators.models import ImportRecord
from healthgap.publishing.history import describe
from healthgap.publishing.words import person_name

IMPORTS = "imports"  # the model filter's value for indicator imports


@dataclass(frozen=True)
class LogEntry:
    when: datetime.datetime
    who: str
    kind: str  # "Programme", "Indicator import" ...
    item: str
    description: str
    url: str = ""


@dataclass(frozen=True)
class Source:
    rows: object  # a queryset ordered newest first
    date_field: str
    to_entry: object  # row -> LogEntry


@dataclass(frozen=True)
class LogFilters:
    person_id: int | None = None
    model: str = ""  # an app label and model ("delivery.programme"), IMPORTS, or all
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def tracked_models() -> list:
    """Models whose changes are recorded (not the many-to-many tables simple-history adds)."""
    found = [model for model in registered_models.values() if hasattr(model, "history")]
    return sorted(found, key=lambda model: str(model._meta.verbose_name))


def model_choices() -> list[tuple[str, str]]:
    choices = [(model._meta.label_lower, _kind(model)) for model in tracked_models()]
    return [*choices, (IMPORTS, "Indicator import")]


def _kind(model) -> str:
    return str(model._meta.verbose_name).capitalize()


def _dated(queryset, field: str, filters: LogFilters):
    if filters.date_from:
        queryset = queryset.filter(**{f"{field}__date__gte": filters.date_from})
    if filters.date_to:
        queryset = queryset.filter(**{f"{field}__date__lte": filters.date_to})
    return queryset


def _history_source(model, filters: LogFilters):
    records = model.history.select_related("history_user").order_by("-history_date", "-pk")
    if filters.person_id:
        records = records.filter(history_user_id=filters.person_id)
    return Source(_dated(records, "history_date", filters), "history_date", _history_entry)


def _history_entry(record) -> LogEntry:
    entry = describe(record, record.prev_record)
    instance = _recorded_instance(record)
    url = instance.get_absolute_url() if hasattr(instance, "get_absolute_url") else ""
    kind = _kind(record.instance_type)
    return LogEntry(entry.when, entry.who, kind, str(instance), " ".join(entry.sentences), url)


def _recorded_instance(record):
    """The item as the record saw it, from the record's own fields. Not ``record.instance``:
    for a model whose history leaves fields out, it fetches them through ``Model.objects``, which
    publishable models do not have."""
    model = record.instance_type
    fields = model._meta.concrete_fields
    return model(
        **{f.attname: getattr(record, f.attname) for f in fields if hasattr(record, f.attname)}
    )


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _imports_source(filters: LogFilters):
    imports = ImportRecord.objects.order_by("-started_at", "-pk")
    if _has_field(ImportRecord, "run_by"):
        imports = imports.select_related("run_by")
    if filters.person_id:
        if not _has_field(ImportRecord, "run_by"):
            return None  # imports cannot be attributed to a person before run_by exists
        imports = imports.filter(run_by_id=filters.person_id)
    return Source(_dated(imports, "started_at", filters), "started_at", _import_entry)


def _import_entry(record) -> LogEntry:
    run_by = getattr(record, "run_by", None)
    who = person_name(run_by) if run_by else getattr(record, "run_by_name", "") or "A command"
    outcome = f"{record.row_count:,} rows {record.get_status_display().lower()}"
    description = (
        f"{who} imported {record.file_name} with the {record.importer} importer: {outcome}."
    )
    return LogEntry(record.started_at, who, "Indicator import", record.file_name, description)


class ChangeLog:
    """A lazy, newest-first list of LogEntry across every source, for Django's Paginator."""

    def __init__(self, filters: LogFilters):
        sources = []
        if filters.model in ("", IMPORTS):
            sources.append(_imports_source(filters))
        for model in tracked_models():
            if filters.model in ("", model._meta.label_lower):
                sources.append(_history_source(model, filters))
        self.sources = [source for source in sources if source is not None]

    def count(self) -> int:
        return sum(source.rows.count() for source in self.sources)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[LogEntry]:
        """Entries ``window.start`` to ``window.stop``: the newest ``stop`` of each source are
        enough to know the newest ``stop`` of all."""
        newest = [
            (getattr(row, source.date_field), index, row)
            for index, source in enumerate(self.sources)
            for row in source.rows[: window.stop]
        ]
        newest.sort(key=lambda found: found[0], reverse=True)
        return [self.sources[index].to_entry(row) for _, index, row in newest[window]]


def person_choices():
    """Everyone who can have made a change, by name."""
    users = get_user_model().objects.order_by("first_name", "last_name", "username")
    return [(user.pk, person_name(user)) for user in users]
