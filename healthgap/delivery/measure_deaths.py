"""The deaths a mortality measure counts, by life-table age band, for its deaths to avert.

A measure of all causes counts the mortality store's published deaths for its area (ONS, by sex
and band, the latest year held). A measure of one cause group (``cause_group``, a row of
``mortality/cause_groups.csv``) counts the deaths of that group in the council's record-level
extract (``healthgap import deaths FILE``: counts by LSOA, band, sex, year and cause), over
every year held, as a yearly average. Where that extract holds no deaths of the cause for the
area, the measure is refused with what to load: all-cause deaths are never used in their place.

The population of each band (ONS, held with the published deaths) is the denominator of the
death rates. For a cause group the target's rates are the area's own, scaled (England's rates
by cause are not held), so the population cancels from the deaths to avert; it is still the
area's real one."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from healthgap.constants import FEMALE, MALE
from healthgap.delivery.models import OutcomeMeasure
from healthgap.delivery.targets import TargetError
from healthgap.mortality.causes import ALL_CAUSES, cause_description, group_labels
from healthgap.mortality.models import BAND_STARTS, DeathSex
from healthgap.mortality.queries import (
    city_counted_deaths,
    city_death_years,
    published_deaths,
    published_years,
)

AGE_RANGE = re.compile(r"^(?:<(?P<under>\d+)|(?P<from>\d+)\+|(?P<low>\d+)-(?P<high>\d+)) yrs$")
ALL_AGES = "All ages"
SEXES = {MALE: [DeathSex.MALE], FEMALE: [DeathSex.FEMALE]}  # Persons: both
LOAD_EXTRACT = "healthgap import deaths FILE"
LINKED = "A mortality measure is linked to deaths to avert through the area's deaths by age band"


@dataclass(frozen=True)
class MeasureDeaths:
    """``rows``: startage, deaths and population, each added up over ``years``."""

    rows: pd.DataFrame
    years: tuple[int, ...]
    source: str  # where the deaths come from and which years, in words
    cause: str  # the cause of death and its ICD-10 codes, in words
    synthetic: bool = False


def age_bands(age: str) -> list[int] | None:
    """The life-table bands (start ages) an indicator's age group covers exactly, or None when
    it does not fit them ("18+ yrs" starts inside the 15-19 band)."""
    if age == ALL_AGES:
        return list(BAND_STARTS)
    found = AGE_RANGE.match(age)
    if found is None:
        return None
    parts = found.groupdict()
    low = int(parts["from"] or parts["low"] or 0)
    high = int(parts["under"] or (int(parts["high"]) + 1 if parts["high"] else 0)) or None
    bands = [start for start in BAND_STARTS if start >= low and (high is None or start < high)]
    if low not in BAND_STARTS or (high is not None and high not in BAND_STARTS) or not bands:
        return None
    return bands


def in_measure(measure: OutcomeMeasure, rows: pd.DataFrame, bands: list[int]) -> pd.DataFrame:
    """The rows of the measure's sex (both for Persons) and bands."""
    sexes = SEXES.get(measure.sex, list(DeathSex))
    return rows[rows["sex"].isin(sexes) & rows["startage"].isin(bands)]


def published_rows(measure: OutcomeMeasure, code: str, year: int, bands: list[int]):
    """Published deaths and population by band (sexes added together for Persons)."""
    rows = in_measure(measure, published_deaths([code], year), bands)
    return rows.groupby("startage", as_index=False)[["deaths", "population"]].sum()


def banded_deaths(measure: OutcomeMeasure) -> MeasureDeaths:
    """The deaths the measure counts by age band, in its sex, ages and cause. Raises
    TargetError (on ``is_mortality``) saying what is missing and what to load."""
    bands = age_bands(measure.age)
    if bands is None:
        raise TargetError(
            "is_mortality",
            f"{LINKED}, and its age group ({measure.age}) does not match the life-table bands "
            f"(under 1, 1-4, 5-9 ... 90+)",
        )
    population, year = _published(measure, bands)
    if measure.cause_group == ALL_CAUSES:
        return MeasureDeaths(
            population, (year,), f"ONS deaths registered in {year}",
            cause_description(ALL_CAUSES),
        )  # fmt: skip
    return _counted(measure, bands, population)


def _published(measure: OutcomeMeasure, bands: list[int]) -> tuple[pd.DataFrame, int]:
    years = published_years(measure.area_id)
    rows = published_rows(measure, measure.area_id, years[0], bands) if years else pd.DataFrame()
    if rows.empty or len(rows) < len(bands):
        raise TargetError(
            "is_mortality",
            f"{LINKED} and their population, and the mortality store holds none for "
            f"{measure.area.name} ({measure.sex}, {measure.age}): load ONS deaths by age band "
            f"for it first",
        )
    return rows, years[0]


def _counted(measure: OutcomeMeasure, bands: list[int], population: pd.DataFrame):
    """The extract's deaths of the measure's cause in each band over the years held, on the
    published population of each band over as many years."""
    if measure.cause_group not in group_labels():  # the editable table lost it since
        raise TargetError(
            "cause_group",
            f"The measure's cause group ({measure.cause_group}) is no longer in the cause-group "
            f"table (mortality/data/cause_groups.csv): choose its cause of death again",
        )
    cause = cause_description(measure.cause_group)
    years = tuple(city_death_years(measure.area_id))
    counts = in_measure(measure, city_counted_deaths(measure.area_id, measure.cause_group), bands)
    if not years or counts["deaths"].sum() == 0:
        raise TargetError("cause_group", _no_deaths_of_cause(measure, cause, years))
    deaths = counts.groupby("startage")["deaths"].sum()
    rows = population.assign(
        deaths=population["startage"].map(deaths).fillna(0),
        population=population["population"] * len(years),
    )
    source = f"the record-level deaths extract for {_span(years)}"
    if len(years) > 1:
        source += f" (a yearly average over {len(years)} years)"
    synthetic = bool(counts["is_synthetic"].any())
    return MeasureDeaths(rows, years, source + (", synthetic" if synthetic else ""), cause,
                         synthetic)  # fmt: skip


def _no_deaths_of_cause(measure: OutcomeMeasure, cause: str, years: tuple[int, ...]) -> str:
    load = (
        f"load the council's record-level deaths extract ({LOAD_EXTRACT}) holding them; "
        f"all-cause deaths are not used in their place"
    )
    if not years:
        return (
            f"This measure counts deaths from {cause}, which come from the record-level deaths "
            f"extract, and none is held for {measure.area.name}: {load}"
        )
    return (
        f"The record-level deaths held for {measure.area.name} ({_span(years)}) have no "
        f"deaths from {cause} ({measure.sex}, {measure.age}): {load}"
    )


def _span(years: tuple[int, ...]) -> str:
    return f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"
