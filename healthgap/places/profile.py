"""A place's figures, recomputed from counts and populations with ``healthgap.methods``:

* every indicator whose values for the place's wards or LSOAs carry counts and denominators
  (proportions and crude rates) is summed over them and recomputed (Wilson or Byar's limits);
* from the deaths counted by LSOA (``mortality``): the all-cause death rate directly
  standardised to the 2013 European Standard Population, and life expectancy at birth for men
  and women (Chiang II, Silcocks limits), for the place or for each stop of a route.

Populations by LSOA are persons (ONS small-area estimates, shared out from MSOAs where the
LSOA's own are not held); they are split by sex with the authority's share of men and women in
each age band (ONS MYE2), as the open small-area files give no sex split.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db.models import Sum

from healthgap.areas.models import Area, AreaType, PopulationEstimate
from healthgap.indicators.models import Indicator, IndicatorValue, ValueType
from healthgap.methods import dsr, life_expectancy, proportion, rate
from healthgap.mortality.models import BAND_STARTS, DeathCount
from healthgap.mortality.queries import band_of_age, lsoa_population
from healthgap.places.models import MemberType, Place

REBUILT_TYPES = (ValueType.PROPORTION, ValueType.CRUDE_RATE)
PER_100K = 100_000
SEXES = {"male": "Male", "female": "Female"}
GROUP_KEYS = ["indicator_id", "period__label", "sex", "age", "category_type", "category"]


@dataclass
class PlaceFigures:
    """Everything a place's page shows; ``stops`` only for routes."""

    lsoas: list[str]
    population: float
    indicators: pd.DataFrame
    mortality: pd.DataFrame
    stops: pd.DataFrame
    synthetic_deaths: bool


def place_lsoas(place: Place) -> list[str]:
    if place.member_type == MemberType.WARDS:
        rows = Area.objects.filter(area_type=AreaType.LSOA, ward_id__in=place.area_codes)
        return sorted(rows.values_list("code", flat=True))
    return list(place.area_codes)


def rebuilt_indicators(member_codes: list[str]) -> pd.DataFrame:
    """Indicators with a count and denominator for every member area, recomputed for their sum:
    indicator, name, unit, period, sex, age, category_type, category, count, denominator,
    value, lowercl, uppercl, synthetic."""
    kinds = Indicator.objects.filter(value_type__in=REBUILT_TYPES).in_bulk()
    rows = IndicatorValue.objects.filter(
        area_id__in=member_codes,
        indicator_id__in=list(kinds),
        count__isnull=False,
        denominator__gt=0,
    ).values_list("area_id", *GROUP_KEYS, "count", "denominator")
    frame = pd.DataFrame(list(rows), columns=["area", *GROUP_KEYS, "count", "denominator"])
    if frame.empty:
        return frame
    grouped = frame.groupby(GROUP_KEYS, sort=True)
    sums = grouped[["count", "denominator"]].sum()
    complete = grouped["area"].nunique() == len(set(member_codes))
    sums = sums[complete.to_numpy()].reset_index()
    parts = []
    for code, part in sums.groupby("indicator_id"):
        indicator = kinds[code]
        parts.append(_recomputed(part, indicator))
    return pd.concat(parts, ignore_index=True) if parts else sums


def _recomputed(part: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    if indicator.value_type == ValueType.PROPORTION:
        result = proportion(part, "count", "denominator", multiplier=100)
    else:
        result = rate(part, "count", "denominator", multiplier=_per(indicator))
    return result.assign(
        name=indicator.name, unit=indicator.unit, synthetic=indicator.is_synthetic
    ).rename(columns={"period__label": "period"})


def _per(indicator: Indicator) -> float:
    digits = "".join(ch for ch in (indicator.unit or "") if ch.isdigit())
    return float(digits) if digits else PER_100K


def _lsoa_frame(codes: list[str]) -> pd.DataFrame:
    rows = Area.objects.filter(code__in=codes).values_list("code", "parent_id", "ward_id")
    return pd.DataFrame(list(rows), columns=["lsoa", "msoa", "ward"])


def _population(lsoas: pd.DataFrame) -> pd.DataFrame:
    """Persons by LSOA and band. An MSOA's estimate is shared among all its LSOAs, so every
    LSOA of the place's MSOAs is passed to ``lsoa_population``, then the place's are kept."""
    siblings = Area.objects.filter(area_type=AreaType.LSOA, parent_id__in=lsoas["msoa"].unique())
    every = _lsoa_frame(list(siblings.values_list("code", flat=True)))
    population = lsoa_population(every)
    return population[population["lsoa"].isin(lsoas["lsoa"])]


def _sex_shares(city: Area) -> pd.DataFrame:
    """The authority's share of men and of women in each life-table band (latest year)."""
    rows = PopulationEstimate.objects.filter(area=city, sex__in=list(SEXES))
    latest = rows.order_by("-year").values_list("year", flat=True).first()
    frame = pd.DataFrame(
        list(rows.filter(year=latest).values_list("sex", "age", "count")),
        columns=["sex", "age", "count"],
    )
    if frame.empty:  # no split by sex held: half each
        grid = pd.MultiIndex.from_product([list(SEXES), BAND_STARTS], names=["sex", "startage"])
        return pd.DataFrame({"share": 0.5}, index=grid).reset_index()
    frame["startage"] = band_of_age(frame["age"].to_numpy())
    by_band = frame.groupby(["sex", "startage"])["count"].sum()
    share = by_band / by_band.groupby("startage").transform("sum")
    return share.rename("share").reset_index()


def lsoa_cells(lsoas: pd.DataFrame, city: Area) -> tuple[pd.DataFrame, bool, int]:
    """Deaths (all causes, every year held) and person-years by LSOA, sex and band, every cell
    present (zeros included); whether the deaths are synthetic; how many years they cover."""
    counted = DeathCount.objects.filter(area_id__in=list(lsoas["lsoa"]))
    years = max(counted.values("year").distinct().count(), 1)
    synthetic = counted.filter(is_synthetic=True).exists()
    deaths = pd.DataFrame(
        list(
            counted.values("area_id", "sex", "startage")
            .annotate(deaths=Sum("deaths"))
            .values_list("area_id", "sex", "startage", "deaths")
        ),
        columns=["lsoa", "sex", "startage", "deaths"],
    )
    population = _population(lsoas).merge(_sex_shares(city), on="startage")
    population["pop"] = population["population"] * population["share"] * years
    cells = population[["lsoa", "sex", "startage", "pop"]].merge(
        deaths, on=["lsoa", "sex", "startage"], how="left"
    )
    return cells.fillna({"deaths": 0.0}), synthetic, years


def grouped(cells: pd.DataFrame, lsoas: pd.DataFrame, group: str) -> pd.DataFrame:
    """The LSOA cells summed by ``group`` (a column of ``lsoas``), sex and band."""
    frame = cells.merge(lsoas[["lsoa", group]], on="lsoa")
    return frame.groupby([group, "sex", "startage"], as_index=False)[["deaths", "pop"]].sum()


def mortality_figures(frame: pd.DataFrame, group: str) -> pd.DataFrame:
    """Life expectancy at birth by group and sex (95% limits) and the persons' DSR."""
    if frame["deaths"].sum() == 0:
        return pd.DataFrame()
    le = life_expectancy(
        frame, "deaths", "pop", "startage", by=[group, "sex"], le_age=0, type="standard"
    )
    le = le.assign(measure="Life expectancy at birth (years)", sex=le["sex"].map(SEXES))
    persons = frame.groupby([group, "startage"], as_index=False)[["deaths", "pop"]].sum()
    persons["age_band"] = np.searchsorted([5 * i for i in range(19)], persons["startage"], "right")
    bands = persons.groupby([group, "age_band"], as_index=False)[["deaths", "pop"]].sum()
    rates = dsr(bands, "deaths", "pop", by=group, type="standard").assign(
        measure="Deaths, all causes (directly standardised rate per 100,000)", sex="Persons"
    )
    columns = [group, "measure", "sex", "value", "lowercl", "uppercl"]
    return pd.concat([le[columns], rates[columns]], ignore_index=True)


def place_figures(place: Place) -> PlaceFigures:
    codes = place_lsoas(place)
    lsoas = _lsoa_frame(codes).assign(place=place.name)
    cells, synthetic, years = lsoa_cells(lsoas, place.city)
    stops = mortality_figures(grouped(cells, lsoas, "ward"), "ward") if place.is_route else None
    members = place.area_codes if place.member_type == MemberType.WARDS else codes
    return PlaceFigures(
        lsoas=codes,
        population=float(cells["pop"].sum() / years),
        indicators=rebuilt_indicators(members),
        mortality=mortality_figures(grouped(cells, lsoas, "place"), "place"),
        stops=stops if stops is not None else pd.DataFrame(),
        synthetic_deaths=synthetic,
    )
