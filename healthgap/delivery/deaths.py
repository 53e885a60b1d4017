"""For a mortality measure: the deaths a year to avert to reach its target, from the
closing-the-gap model on the area's deaths by age band (``healthgap.methods.deaths_to_avert``,
as the public closing-the-gap page), against the deaths the programmes say they will avert, and
the shortfall.

The deaths are the mortality store's published deaths for the area (ONS, all causes, by sex and
life-table age band, the latest year held), in the measure's sex and age range. The target is
reached with England's age-specific death rates where it is England's value; otherwise the
area's own rates in every band are scaled by target / latest value (the fall the target asks
of the indicator), so that each band's share of the deaths to avert follows its own deaths."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from django.db.models import Sum

from healthgap.constants import ENGLAND_CODE, FEMALE, MALE
from healthgap.delivery.models import OutcomeMeasure, TargetKind
from healthgap.delivery.targets import TargetError, latest_value
from healthgap.methods import deaths_to_avert as closing_the_gap
from healthgap.methods._series import format_value
from healthgap.mortality.models import BAND_STARTS, DeathSex
from healthgap.mortality.queries import published_deaths, published_years

AGE_RANGE = re.compile(r"^(?:<(?P<under>\d+)|(?P<from>\d+)\+|(?P<low>\d+)-(?P<high>\d+)) yrs$")
ALL_AGES = "All ages"
SEXES = {MALE: [DeathSex.MALE], FEMALE: [DeathSex.FEMALE]}  # Persons: both
BAND_LABELS = dict(
    zip(BAND_STARTS, ["<1", "1-4", *[f"{a}-{a + 4}" for a in range(5, 90, 5)], "90+"])
)


@dataclass(frozen=True)
class DeathsToAvert:
    measure: OutcomeMeasure
    needed: float  # deaths a year to avert to be at the target
    claimed: float
    claims: list[tuple[str, float]]
    lower: float = float("nan")  # 95% limits of ``needed`` (Poisson, on the observed deaths)
    upper: float = float("nan")
    bands: tuple[dict, ...] = ()  # per age band: band, observed, expected, value
    basis: str = ""  # the deaths and target rates used, in words

    @property
    def shortfall(self) -> float:
        return max(0.0, self.needed - self.claimed)

    @property
    def words(self) -> str:
        number = lambda x: format_value(x, 0)  # noqa: E731
        if self.needed <= 0:
            return "No deaths to avert: the latest rate is already at or better than the target."
        text = (
            f"Reaching the target means {number(self.needed)} fewer deaths a year (95% "
            f"interval {number(self.lower)} to {number(self.upper)}); the programmes claim "
            f"{number(self.claimed)}"
        )
        if self.shortfall > 0:
            return f"{text}, a shortfall of {number(self.shortfall)} deaths a year."
        return f"{text}, enough to cover it."


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


def _rows(measure: OutcomeMeasure, code: str, year: int, bands: list[int]) -> pd.DataFrame:
    """Deaths and population by band (sexes added together for Persons)."""
    rows = published_deaths([code], year)
    rows = rows[rows["sex"].isin(SEXES.get(measure.sex, list(DeathSex))) & rows["startage"].isin(
        bands)]  # fmt: skip
    return rows.groupby("startage", as_index=False)[["deaths", "population"]].sum()


def banded_deaths(measure: OutcomeMeasure) -> tuple[pd.DataFrame, int]:
    """The area's published deaths by age band in the measure's sex and ages, and their year.
    Raises TargetError (on ``is_mortality``) saying what is missing."""
    bands = age_bands(measure.age)
    if bands is None:
        raise TargetError(
            "is_mortality",
            f"A mortality measure is linked to deaths to avert through the area's deaths by age "
            f"band, and its age group ({measure.age}) does not match the life-table bands "
            f"(under 1, 1-4, 5-9 ... 90+)",
        )
    years = published_years(measure.area_id)
    rows = _rows(measure, measure.area_id, years[0], bands) if years else pd.DataFrame()
    if rows.empty or len(rows) < len(bands):
        raise TargetError(
            "is_mortality",
            f"A mortality measure is linked to deaths to avert through the area's deaths by age "
            f"band, and the mortality store holds none for {measure.area.name} ({measure.sex}, "
            f"{measure.age}): load ONS deaths by age band for it first",
        )
    return rows, years[0]


def _target_rates(measure, own: pd.DataFrame, year: int, latest: float) -> tuple[pd.DataFrame, str]:
    if measure.target_kind == TargetKind.ENGLAND:
        england = _rows(measure, ENGLAND_CODE, year, own["startage"].tolist())
        if len(england) == len(own):
            return england, f"England's death rates in each age band in {year}"
    scale = measure.target_value / latest
    scaled = own.assign(deaths=own["deaths"] * scale)
    return scaled, (
        f"the area's death rate in each age band scaled by the target over the latest value "
        f"({format_value(measure.target_value, 1)} / {format_value(latest, 1)})"
    )


def _claims(measure: OutcomeMeasure) -> tuple[list[tuple[str, float]], float]:
    claims = [
        (claim.programme.name, claim.deaths_a_year)
        for claim in measure.claims.select_related("programme").exclude(deaths_a_year=None)
    ]
    return claims, measure.claims.aggregate(total=Sum("deaths_a_year"))["total"] or 0.0


def deaths_to_avert(measure: OutcomeMeasure) -> DeathsToAvert | None:
    """None unless the measure is a mortality measure with a target, a latest value and deaths
    by age band in the mortality store."""
    if not measure.is_mortality or measure.target_value is None:
        return None
    latest = latest_value(measure)
    if latest is None or not latest.value:
        return None
    try:
        own, year = banded_deaths(measure)
    except TargetError:
        return None
    target, target_words = _target_rates(measure, own, year, latest.value)
    result = closing_the_gap(own, "deaths", "population", "startage", target_rates=target)
    total = result.iloc[-1]
    bands = tuple(
        {"band": BAND_LABELS[row.startage], "observed": row.observed, "expected": row.expected,
         "value": row.value}
        for row in result.iloc[:-1].itertuples()
    )  # fmt: skip
    basis = (
        f"ONS deaths registered in {year} (all causes, {measure.sex}, {measure.age}) in "
        f"{measure.area.name}, against {target_words}"
    )
    claims, claimed = _claims(measure)
    return DeathsToAvert(
        measure, float(total["value"]), float(claimed), claims,
        lower=float(total["lowercl"]), upper=float(total["uppercl"]), bands=bands, basis=basis,
    )  # fmt: skip
