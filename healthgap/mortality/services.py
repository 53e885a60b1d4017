"""The only writes to the mortality tables: replace deaths counts, store published deaths."""

from __future__ import annotations

import pandas as pd
from django.db import transaction

from healthgap.mortality.models import DeathCount, PublishedDeaths

BATCH = 5000
COUNT_COLUMNS = ["area", "year", "sex", "startage", "cause_group", "deaths", "preventable"]


def replace_death_counts(counts: pd.DataFrame, record, is_synthetic: bool) -> int:
    """Store ``counts`` (COUNT_COLUMNS, one row per cell) from the import ``record``, replacing
    whatever was held for the same LSOAs and years: a newer extract for a year supersedes the
    older one whole, so no cell of the old one lingers. Call inside a transaction."""
    for year, part in counts.groupby("year"):
        DeathCount.objects.filter(year=int(year), area_id__in=part["area"].unique()).delete()
    objects = [
        DeathCount(
            area_id=area, year=year, sex=sex, startage=startage, cause_group=cause,
            deaths=deaths, preventable=preventable, import_record=record,
            is_synthetic=is_synthetic,
        )
        for area, year, sex, startage, cause, deaths, preventable in counts[
            COUNT_COLUMNS
        ].itertuples(index=False, name=None)
    ]  # fmt: skip
    DeathCount.objects.bulk_create(objects, batch_size=BATCH)
    return len(objects)


def save_published_deaths(rows: pd.DataFrame, source: str) -> int:
    """Store published deaths with population (area, year, sex, startage, deaths, population);
    loading the same rows again changes nothing."""
    objects = [
        PublishedDeaths(
            area_id=area, year=year, sex=sex, startage=startage, deaths=deaths,
            population=population, source=source,
        )
        for area, year, sex, startage, deaths, population in rows[
            ["area", "year", "sex", "startage", "deaths", "population"]
        ].itertuples(index=False, name=None)
    ]  # fmt: skip
    with transaction.atomic():
        PublishedDeaths.objects.bulk_create(
            objects,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["area", "year", "sex", "startage"],
            update_fields=["deaths", "population", "source"],
        )
    return len(objects)
