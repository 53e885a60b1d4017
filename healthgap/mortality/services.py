"""Writes to the mortality tables: clear deaths counts before an import writes new ones (in
bulk, in the importer's transaction), store published deaths."""

from __future__ import annotations

import pandas as pd
from django.db import transaction

from healthgap.mortality.models import DeathCount, DecileDeaths, PublishedDeaths

BATCH = 5000


def clear_death_counts(counts: pd.DataFrame) -> int:
    """Delete what is held for the LSOAs and years of ``counts`` (area, year columns): a newer
    extract for a year supersedes the older one whole, so no cell of the old one lingers. Call
    inside the transaction that then writes the new counts."""
    deleted = 0
    for year, part in counts.groupby("year"):
        held = DeathCount.objects.filter(year=int(year))
        if held.exists():  # a first load for the year has nothing to clear
            deleted += held.filter(area_id__in=part["area"].unique().tolist()).delete()[0]
    return deleted


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


def save_decile_deaths(rows: pd.DataFrame, source: str) -> int:
    """Store England's deaths by IMD decile with population (year, decile, sex, startage,
    deaths, population); loading the same rows again changes nothing."""
    columns = ["year", "decile", "sex", "startage", "deaths", "population"]
    objects = [
        DecileDeaths(**dict(zip(columns, values)), source=source)
        for values in rows[columns].itertuples(index=False, name=None)
    ]
    with transaction.atomic():
        DecileDeaths.objects.bulk_create(
            objects,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["year", "decile", "sex", "startage"],
            update_fields=["deaths", "population", "source"],
        )
    return len(objects)
