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
from django.db.models import Count, Q, Sum

from healthgap.areas.models import Area, AreaType, PopulationEstimate
from healthgap.indicators.models import Indicator, IndicatorValue, ValueType
from healthgap.methods import dsr, life_expectancy, proportion, rate
from healthgap.mortality.models import BAND_STARTS, DeathCount
from healthgap.mortality.queries import life_table_band, lsoa_population
from healthgap.places.models import MemberType, Place

REBUILT_TYPES = (ValueType.PROPORTION, ValueType.CRUDE_RATE)
PER_100K = 100_000
SEXES = {"male": "Male", "female": "Female"}
LIFE_EXPECTANCY = "Life expectancy at birth (years)"
ALL_CAUSE_DSR = "Deaths, all causes (directly standardised rate per 100,000)"
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
    """Indicators with counts and denominators for the member areas, recomputed for their sum:
    indicator, name, unit, period, sex, age, category_type, category, count, denominator,
    value, lowercl, uppercl, synthetic, and ``areas`` of ``members`` (how many of the place's
    areas have the figure: an area may lack one, e.g. no count published). The
    database sums each breakdown."""
    kinds = Indicator.objects.filter(value_type__in=REBUILT_TYPES).in_bulk()
    members = set(member_codes)
    rows = (
        IndicatorValue.objects.filter(
            area_id__in=members,
            indicator_id__in=list(kinds),
            count__isnull=False,
            denominator__gt=0,
        )
        .values(*GROUP_KEYS)
        .annotate(count=Sum("count"), denominator=Sum("denominator"), areas=Count("area_id"))
        .values_list(*GROUP_KEYS, "count", "denominator", "areas")
    )
    sums = pd.DataFrame(list(rows), columns=[*GROUP_KEYS, "count", "denominator", "areas"])
    sums["members"] = len(members)
    parts = [_recomputed(part, kinds[code]) for code, part in sums.groupby("indicator_id")]
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
    msoas = Area.objects.filter(code__in=list(lsoas["lsoa"])).values("parent_id")
    siblings = Area.objects.filter(area_type=AreaType.LSOA, parent_id__in=msoas)
    every = pd.DataFrame(list(siblings.values_list("code", "parent_id")), columns=["lsoa", "msoa"])
    population = lsoa_population(every)
    return population[population["lsoa"].isin(lsoas["lsoa"])]


def _sex_shares(city: Area) -> pd.DataFrame:
    """The authority's share of men and of women in each life-table band (latest year)."""
    rows = PopulationEstimate.objects.filter(area=city, sex__in=list(SEXES))
    latest = rows.order_by("-year").values_list("year", flat=True).first()
    by_band = (
        rows.filter(year=latest)
        .annotate(startage=life_table_band())
        .values("sex", "startage")
        .annotate(people=Sum("count"))
        .values_list("sex", "startage", "people")
    )
    frame = pd.DataFrame(list(by_band), columns=["sex", "startage", "people"])
    if frame.empty:  # no split by sex held: half each
        grid = pd.MultiIndex.from_product([list(SEXES), BAND_STARTS], names=["sex", "startage"])
        return pd.DataFrame({"share": 0.5}, index=grid).reset_index()
    frame["share"] = frame["people"] / frame.groupby("startage")["people"].transform("sum")
    return frame[["sex", "startage", "share"]]


def person_years(lsoas: pd.DataFrame, city: Area, years: int) -> pd.DataFrame:
    """Person-years by LSOA, sex and band over ``years``: lsoa, sex, startage, pop."""
    population = _population(lsoas).merge(_sex_shares(city), on="startage")
    population["pop"] = population["population"] * population["share"] * years
    return population[["lsoa", "sex", "startage", "pop"]]


def deaths_held(codes: list[str]) -> tuple[int, bool]:
    """How many calendar years of deaths are held for these LSOAs, and whether synthetic."""
    counted = DeathCount.objects.filter(area_id__in=codes)
    # A count of synthetic rows rather than MAX(boolean), which PostgreSQL does not have.
    held = counted.aggregate(
        years=Count("year", distinct=True), synthetic=Count("pk", filter=Q(is_synthetic=True))
    )
    return max(held["years"], 1), bool(held["synthetic"])


def grouped(people: pd.DataFrame, lsoas: pd.DataFrame, group: str) -> pd.DataFrame:
    """Deaths (all causes, every year held) and person-years by ``group`` ("place", or "ward"
    for a route's stops), sex and band, every cell present (zeros included). The database sums
    the deaths of each group."""
    counted = DeathCount.objects.filter(area_id__in=list(lsoas["lsoa"]))
    keys = ["area__ward_id"] if group == "ward" else []
    deaths = pd.DataFrame(
        list(
            counted.values(*keys, "sex", "startage")
            .annotate(deaths=Sum("deaths"))
            .values_list(*keys, "sex", "startage", "deaths")
        ),
        columns=[*(["ward"] if keys else []), "sex", "startage", "deaths"],
    )
    frame = people.merge(lsoas[["lsoa", group]], on="lsoa")
    frame = frame.groupby([group, "sex", "startage"], as_index=False)["pop"].sum()
    on = [*(["ward"] if keys else []), "sex", "startage"]
    return frame.merge(deaths, on=on, how="left").fillna({"deaths": 0.0})


def mortality_figures(frame: pd.DataFrame, group: str) -> pd.DataFrame:
    """Life expectancy at birth by group and sex (95% limits) and the persons' DSR, each with
    the ``deaths`` it is worked out from (for disclosure control)."""
    if frame["deaths"].sum() == 0:
        return pd.DataFrame()
    le = life_expectancy(
        frame, "deaths", "pop", "startage", by=[group, "sex"], le_age=0, type="standard"
    )
    le = le.merge(frame.groupby([group, "sex"], as_index=False)["deaths"].sum(), on=[group, "sex"])
    le = le.assign(
        measure=LIFE_EXPECTANCY,
        sex=le["sex"].map(SEXES),
        value_type=ValueType.LIFE_EXPECTANCY.value,
    )
    persons = frame.groupby([group, "startage"], as_index=False)[["deaths", "pop"]].sum()
    persons["age_band"] = np.searchsorted([5 * i for i in range(19)], persons["startage"], "right")
    bands = persons.groupby([group, "age_band"], as_index=False)[["deaths", "pop"]].sum()
    rates = dsr(bands, "deaths", "pop", by=group, type="standard").assign(
        measure=ALL_CAUSE_DSR, sex="Persons", value_type=ValueType.DSR.value
    )
    rates = rates.rename(columns={"total_count": "deaths"})
    columns = [group, "measure", "sex", "value", "lowercl", "uppercl", "deaths", "value_type"]
    return pd.concat([le[columns], rates[columns]], ignore_index=True)


def place_figures(place: Place) -> PlaceFigures:
    codes = place_lsoas(place)
    lsoas = _lsoa_frame(codes).assign(place=place.name)
    years, synthetic = deaths_held(codes)
    people = person_years(lsoas, place.city, years)
    stops = mortality_figures(grouped(people, lsoas, "ward"), "ward") if place.is_route else None
    members = place.area_codes if place.member_type == MemberType.WARDS else codes
    return PlaceFigures(
        lsoas=codes,
        population=float(people["pop"].sum() / years),
        indicators=rebuilt_indicators(members),
        mortality=mortality_figures(grouped(people, lsoas, "place"), "place"),
        stops=stops if stops is not None else pd.DataFrame(),
        synthetic_deaths=synthetic,
    )
