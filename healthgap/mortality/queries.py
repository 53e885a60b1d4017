"""Reading deaths for the closing-the-gap pages, as the frames healthgap.methods take."""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.db.models import Case, F, IntegerField, Sum, Value, When

from healthgap.areas.models import IMD, Area, AreaType, PopulationEstimate
from healthgap.mortality.causes import ALL_CAUSES
from healthgap.mortality.models import BAND_STARTS, DeathCount, DecileDeaths, PublishedDeaths

POPULATION_YEAR = 2019


def band_of_age(ages: np.ndarray) -> np.ndarray:
    return np.asarray(BAND_STARTS)[np.searchsorted(BAND_STARTS, ages, side="right") - 1]


def published_deaths(codes=None, year: int | None = None) -> pd.DataFrame:
    """Published deaths with population: area, year, sex, startage, deaths, population."""
    rows = PublishedDeaths.objects.all()
    if codes is not None:
        rows = rows.filter(area_id__in=list(codes))
    if year is not None:
        rows = rows.filter(year=year)
    columns = ["area_id", "year", "sex", "startage", "deaths", "population"]
    frame = pd.DataFrame.from_records(rows.values_list(*columns), columns=columns)
    return frame.rename(columns={"area_id": "area"})


def has_published_deaths(code: str) -> bool:
    return PublishedDeaths.objects.filter(area_id=code).exists()


def published_years(code: str) -> list[int]:
    years = PublishedDeaths.objects.filter(area_id=code).values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def city_lsoas(city: Area) -> pd.DataFrame:
    """The authority's LSOAs (through their MSOAs): lsoa, msoa, ward, ward_name, imd_rank."""
    rows = Area.objects.filter(area_type=AreaType.LSOA, parent__parent=city).values_list(
        "code", "parent_id", "ward_id", "ward__name"
    )
    frame = pd.DataFrame.from_records(rows, columns=["lsoa", "msoa", "ward", "ward_name"])
    ranks = dict(
        Area.objects.filter(code__in=frame["lsoa"].tolist(), deprivation__domain=IMD).values_list(
            "code", "deprivation__rank"
        )
    )
    frame["imd_rank"] = frame["lsoa"].map(ranks)
    return frame.sort_values("lsoa").reset_index(drop=True)


def death_counts(lsoa_codes) -> pd.DataFrame:
    """Counted deaths: area, year, sex, startage, cause_group, deaths, apportioned (of them,
    shared out from postcode districts), preventable, is_synthetic."""
    columns = ["area_id", "year", "sex", "startage", "cause_group", "deaths", "apportioned"]
    columns += ["preventable", "is_synthetic"]
    rows = DeathCount.objects.filter(area_id__in=list(lsoa_codes)).values_list(*columns)
    frame = pd.DataFrame.from_records(rows, columns=columns)
    return frame.rename(columns={"area_id": "area"})


def city_counted_deaths(city_code: str, cause_group: str = ALL_CAUSES) -> pd.DataFrame:
    """The counted deaths of an authority's LSOAs (through their MSOAs) of one cause group
    (``ALL_CAUSES``: every group), summed by year, sex and band in the database: year, sex,
    startage, deaths, is_synthetic (whether any of them come from a synthetic extract)."""
    rows = DeathCount.objects.filter(area__area_type=AreaType.LSOA, area__parent__parent=city_code)
    if cause_group != ALL_CAUSES:
        rows = rows.filter(cause_group=cause_group)
    columns = ["year", "sex", "startage"]
    rows = rows.values(*columns).annotate(
        total=Sum("deaths"),
        synthetic=Sum(Case(When(is_synthetic=True, then=1), default=0)),  # no MAX(boolean)
    )
    frame = pd.DataFrame.from_records(
        rows.values_list(*columns, "total", "synthetic"), columns=[*columns, "deaths", "synthetic"]
    )
    frame["is_synthetic"] = frame.pop("synthetic") > 0
    return frame


def city_death_years(city_code: str) -> list[int]:
    """The calendar years of counted deaths held for an authority's LSOAs, any cause."""
    rows = DeathCount.objects.filter(area__area_type=AreaType.LSOA, area__parent__parent=city_code)
    return sorted(set(rows.values_list("year", flat=True).distinct()))


def lsoa_population(lsoas: pd.DataFrame, year: int = POPULATION_YEAR) -> pd.DataFrame:
    """Persons by LSOA and life-table band (lsoa, startage, population): the LSOA's own
    estimates where held, else its MSOA's shared equally among the MSOA's LSOAs (the open
    single-year estimates are by MSOA)."""
    own = _population_by_band(lsoas["lsoa"].tolist(), year)
    missing = lsoas[~lsoas["lsoa"].isin(own["area"])]
    shared = _population_by_band(missing["msoa"].unique().tolist(), year)
    per_msoa = lsoas.groupby("msoa")["lsoa"].count()
    shared["population"] = shared["population"] / shared["area"].map(per_msoa)
    shared = missing[["lsoa", "msoa"]].merge(shared, left_on="msoa", right_on="area")
    own = own.rename(columns={"area": "lsoa"})
    return pd.concat([own, shared[["lsoa", "startage", "population"]]], ignore_index=True)


def life_table_band():
    """A query expression: the life-table band (0, 1, 5 ... 90) of a row's single year of
    ``age``, so that the database sums each band rather than sending every age."""
    return Case(
        When(age=0, then=Value(0)),
        When(age__lt=5, then=Value(1)),
        When(age__gte=90, then=Value(90)),
        default=F("age") / 5 * 5,
        output_field=IntegerField(),
    )


def _population_by_band(codes: list[str], year: int) -> pd.DataFrame:
    rows = (
        PopulationEstimate.objects.filter(area_id__in=codes, year=year, sex="persons")
        .annotate(startage=life_table_band())
        .values("area_id", "startage")
        .annotate(population=Sum("count"))
        .values_list("area_id", "startage", "population")
    )
    return pd.DataFrame(list(rows), columns=["area", "startage", "population"])


def decile_deaths(year: int, decile: int) -> pd.DataFrame:
    """England's deaths under 75 with population for one IMD decile and year: sex, startage,
    deaths, population (empty when not held)."""
    columns = ["sex", "startage", "deaths", "population"]
    rows = DecileDeaths.objects.filter(year=year, decile=decile).values_list(*columns)
    return pd.DataFrame.from_records(rows, columns=columns)
