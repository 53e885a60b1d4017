"""More views of the closing-the-gap page: the life expectancy gap between men and women and
between each ward and its city, split by age band and cause (Arriaga, as OHID's Segment Tool
splits an area's gap with England), and the trajectory from the area's death rate to the
target's by a chosen year with the deaths a year to avert along it (as the Health
Inequalities Intervention Tool drew it).
"""

from __future__ import annotations

import pandas as pd

from healthgap.methods import ESP2013, arriaga, dsr, trajectory, trajectory_deaths_to_avert
from healthgap.web.pages.common import rounded

FIRST_SEX, SECOND_SEX = "male", "female"
SEX_GAP_SERIES = "Women's lead over men"
WARD, CITY = "ward", "city"
PATHS = [("linear", "Equal steps each year"), ("percentage", "The same percentage each year")]
GOAL_YEARS_AHEAD = range(1, 21)
DEFAULT_YEARS_AHEAD = 10
# The 19 bands of the European Standard Population 2013 join the life table's <1 and 1-4.
ESP_JOINED_BANDS = {1: 0}
ESP_BAND_WIDTH = 5


def persons_bands(rows: pd.DataFrame) -> pd.DataFrame:
    """Persons by the 19 bands of the European Standard Population (<1 and 1-4 joined)."""
    rows = rows.assign(startage=rows["startage"].replace(ESP_JOINED_BANDS))
    return rows.groupby(["area", "startage"], as_index=False)[["deaths", "population"]].sum()


def sex_gap(data: pd.DataFrame, cause: str | None = None) -> pd.DataFrame:
    """Arriaga between men (first) and women (second): positive contributions are the ages
    (and causes) where men die more often than women."""
    return arriaga(data, "deaths", "population", "startage", groups="sex", first=FIRST_SEX,
                   second=SECOND_SEX, cause=cause)  # fmt: skip


def sexes_from_persons(
    by_sex: pd.DataFrame, persons: pd.DataFrame, shares: pd.DataFrame, causes: list[str]
) -> pd.DataFrame:
    """Deaths by sex, band and cause (every cell of ``causes``, zeros too) over the persons
    population by band (startage, population) split by each band's share of men and women
    (``shares``: sex, startage, share)."""
    population = persons.merge(shares, on="startage")
    population["population"] *= population.pop("share")
    grid = population.merge(pd.DataFrame({"cause_group": causes}), how="cross")
    keys = ["sex", "startage", "cause_group"]
    return grid.merge(by_sex, on=keys, how="left").fillna({"deaths": 0})


def sex_shares(published: pd.DataFrame) -> pd.DataFrame:
    """Each band's share of men and women in an area's published population."""
    people = published.groupby(["sex", "startage"], as_index=False)["population"].sum()
    people["share"] = people["population"] / people.groupby("startage")["population"].transform(
        "sum"
    )
    return people[["sex", "startage", "share"]]


def wards_against_city(wards: pd.DataFrame, city: pd.DataFrame) -> pd.DataFrame:
    """Arriaga for every ward (first) against its whole city (second), by band and cause:
    ``wards`` has ward, startage, cause_group, deaths, population; ``city`` the same without
    ward. Positive contributions are where the ward's death rates are higher than the city's."""
    names = wards[["ward"]].drop_duplicates()
    both = pd.concat(
        [wards.assign(group=WARD), city.merge(names, how="cross").assign(group=CITY)],
        ignore_index=True,
    )
    return arriaga(both, "deaths", "population", "startage", groups="group", first=WARD,
                   second=CITY, by="ward", cause="cause_group")  # fmt: skip


def ward_life_expectancy_rows(gaps: pd.DataFrame, names: dict[str, str]) -> list[dict]:
    """One row per ward, its life expectancy against the city's, the shortest-lived first."""
    each = gaps.groupby("ward").agg(
        ward_le=("le_first", "first"), city_le=("le_second", "first"), gap=("value", "sum")
    )
    each = each.sort_values("gap", ascending=False)
    return [
        {"name": names[ward], "code": ward, "category": names[ward], "order": order,
         "series": "Persons", "area": rounded(row.ward_le), "city": rounded(row.city_le),
         "value": rounded(row.gap, 2)}
        for order, (ward, row) in enumerate(each.iterrows())
    ]  # fmt: skip


def persons_dsr(rows: pd.DataFrame, below: int | None = None) -> tuple[float, float]:
    """One area's persons all-cause DSR (ESP 2013) and its deaths, from its published rows
    (area, sex, startage, deaths, population), at ages below ``below`` if given."""
    if below is not None:
        rows = rows[rows["startage"] < below]
    persons = persons_bands(rows)
    persons["esp"] = ESP2013[persons["startage"] // ESP_BAND_WIDTH]
    rate = dsr(persons, "deaths", "population", stdpop="esp", stdpoptype="field",
               type="standard")  # fmt: skip
    return float(rate["value"].iloc[0]), float(rate["total_count"].iloc[0])


def trajectory_rows(
    baseline: tuple[float, float], target: float, years: tuple[int, int], kind: str
) -> list[dict]:
    """The DSR expected each year on the path from the baseline (DSR, deaths) in the first of
    ``years`` to the target DSR in the second, and the deaths a year to avert to be on it."""
    rate, deaths = baseline
    path = trajectory(rate, years[0], target, years[1], kind=kind)
    path = trajectory_deaths_to_avert(path, deaths, rate)
    return [
        {"category": str(row.year), "order": order, "series": "Persons",
         "expected": rounded(row.expected), "value": rounded(row.deaths_to_avert)}
        for order, row in enumerate(path.itertuples())
    ]  # fmt: skip
