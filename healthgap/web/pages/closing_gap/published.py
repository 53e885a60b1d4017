"""The gap from ONS's published deaths by authority, sex and age band: deaths to avert against
the target's rates, Arriaga against England and between men and women, and the trajectory to
the target's death rate."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from healthgap.areas.models import UPPER_TIER_TYPES, Area
from healthgap.constants import ENGLAND_CODE
from healthgap.methods import arriaga, deaths_to_avert, dsr, quantile
from healthgap.mortality import queries
from healthgap.web.formats import NotFound
from healthgap.web.pages.closing_gap import gap_views
from healthgap.web.pages.closing_gap.rows import ALL_AGES, SEXES, avert_rows, band_of, gap_rows
from healthgap.web.pages.common import rounded

DECILE_TARGET = "least-deprived-decile"
TARGETS = [("england", "England's death rates"), ("top-quartile", "Best-quartile threshold"),
           (DECILE_TARGET, "England's least deprived tenth (under 75)")]  # fmt: skip
LEAST_DEPRIVED_DECILE = 10
DECILE_BELOW = 75  # ONS gives England's deaths by deprivation decile under 75 only


def threshold_authority(rows: pd.DataFrame) -> str:
    """The upper-tier authority at the best quartile's edge: the highest age-standardised
    death rate (ESP 2013) among the quarter of authorities with the lowest rates."""
    upper = set(Area.objects.filter(area_type__in=UPPER_TIER_TYPES).values_list("code", flat=True))
    persons = gap_views.persons_bands(rows[rows["area"].isin(upper)])
    rates = dsr(persons, "deaths", "population", by="area", type="standard")
    rates["quartile"] = quantile(rates, "value", nquantiles=4, invert=False, type="standard")[
        "quantile"
    ].to_numpy()
    best = rates[rates["quartile"] == 1]
    return str(best.loc[best["value"].idxmax(), "area"])


@dataclass
class Target:
    """Whose death rates an area is asked to reach: ``rows`` has area, sex, startage, deaths
    and population, for the ages below ``below`` only when that is set."""

    name: str
    rows: pd.DataFrame
    below: int | None = None

    @property
    def total_label(self) -> str:
        return f"Under {self.below}" if self.below else ALL_AGES


def _target(rows: pd.DataFrame, target: str, year: int) -> Target:
    if target == DECILE_TARGET:
        decile = queries.decile_deaths(year, LEAST_DEPRIVED_DECILE)
        if decile.empty:
            raise NotFound(f"England's deaths by deprivation decile are not held for {year}.")
        return Target("England's least deprived tenth", decile.assign(area=target), DECILE_BELOW)
    code = threshold_authority(rows) if target == "top-quartile" else ENGLAND_CODE
    return Target(Area.objects.get(code=code).name, rows[rows["area"] == code])


def published_gap(area: Area, choices: dict[str, str]) -> dict:
    """Deaths to avert by sex and band against the target, Arriaga against England and
    between men and women, and the trajectory to the target's DSR by the goal year."""
    year = int(choices["year"])
    rows = queries.published_deaths(year=year)
    own = rows[rows["area"] == area.code]
    target = _target(rows, choices["target"], year)
    columns = ["sex", "startage", "deaths", "population"]
    ages = own if target.below is None else own[own["startage"] < target.below]
    avert = deaths_to_avert(
        ages[columns], "deaths", "population", "startage", by="sex",
        target_rates=target.rows[columns], confidence=0.95,
    )  # fmt: skip
    both = pd.concat([own.assign(group="area"), rows[rows["area"] == ENGLAND_CODE].assign(
        group="england")])  # fmt: skip
    gap = arriaga(both, "deaths", "population", "startage", groups="group", first="area",
                  second="england", by="sex")  # fmt: skip
    sexes = gap_views.sex_gap(own)
    return {
        "target_name": target.name,
        "ages": target.total_label.lower(),
        "avert": avert_rows(avert, target.total_label),
        "gap": gap_rows(gap, lambda r: SEXES[r.sex], band_of),
        "sexes": gap_rows(sexes, lambda r: gap_views.SEX_GAP_SERIES, band_of),
        "le_men": rounded(sexes["le_first"].iloc[0]),
        "le_women": rounded(sexes["le_second"].iloc[0]),
        "sex_gap": rounded(sexes["value"].sum(), 2),
        "shares": gap_views.sex_shares(own),
        "trajectory": _trajectory(own, target, year, choices),
        "life_expectancy": _life_expectancy(gap),
    }


def _life_expectancy(gap: pd.DataFrame) -> dict:
    """Men's and women's life expectancy in the area and England, and the gap between them."""
    return {
        SEXES[sex]: {
            "area": rounded(part["le_first"].iloc[0]),
            "england": rounded(part["le_second"].iloc[0]),
            "gap": rounded(part["value"].sum(), 2),
        }
        for sex, part in gap.groupby("sex")
    }


def _trajectory(own: pd.DataFrame, target: Target, year: int, choices) -> dict:
    """The path from the area's DSR to the target's (at the ages the target covers), or why
    there is none."""
    baseline = gap_views.persons_dsr(own, target.below)
    goal, _ = gap_views.persons_dsr(target.rows, target.below)
    found = {"baseline": rounded(baseline[0]), "target": rounded(goal),
             "goal": int(choices["goal"]), "rows": []}  # fmt: skip
    if baseline[0] > goal:
        span = (year, found["goal"])
        found["rows"] = gap_views.trajectory_rows(baseline, goal, span, choices["path"])
    return found
