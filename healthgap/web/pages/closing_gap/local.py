"""The gap within the area from its record-level deaths by LSOA: its most against its least
deprived fifth by age band and cause, deaths to avert by ward and cause at the least deprived
fifth's rates, men against women by cause, and each ward against the city."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from healthgap.areas.models import Area
from healthgap.methods import arriaga, deaths_to_avert, quantile
from healthgap.mortality import queries
from healthgap.mortality.causes import group_labels
from healthgap.web.pages.closing_gap import disclosure, gap_views
from healthgap.web.pages.closing_gap.rows import ALL_AGES, band_of, cause_of, gap_rows
from healthgap.web.pages.common import rounded

QUINTILES = 5
LEAST_DEPRIVED, MOST_DEPRIVED = 5, 1


@dataclass
class LocalDeaths:
    """Counted deaths of an area's LSOAs over the years held: ``frame`` has persons' deaths by
    LSOA, band and cause (every cell, zeros too) with each LSOA's population over those years,
    ward and quintile of deprivation within the area; ``by_sex`` the area's deaths by sex,
    band and cause."""

    frame: pd.DataFrame
    by_sex: pd.DataFrame
    lsoas: pd.DataFrame
    years: int
    synthetic: bool
    apportioned: float  # deaths given only a postcode district, shared into these LSOAs


def _local_frame(area: Area) -> LocalDeaths | None:
    """The area's counted deaths, None when none are held."""
    lsoas = queries.city_lsoas(area)
    counts = queries.death_counts(lsoas["lsoa"])
    if counts.empty:
        return None
    years = counts["year"].nunique()
    lsoas["quintile"] = quantile(lsoas, "imd_rank", nquantiles=QUINTILES, invert=False,
                                 type="standard")["quantile"].to_numpy()  # fmt: skip
    population = queries.lsoa_population(lsoas)
    population["population"] *= years
    causes = list(group_labels())
    grid = population.merge(pd.DataFrame({"cause_group": causes}), how="cross")
    deaths = counts.groupby(["area", "startage", "cause_group"], as_index=False)[
        ["deaths", "preventable"]].sum().rename(columns={"area": "lsoa"})  # fmt: skip
    frame = grid.merge(deaths, on=["lsoa", "startage", "cause_group"], how="left").fillna(0)
    frame = frame.merge(lsoas[["lsoa", "ward", "ward_name", "quintile"]], on="lsoa")
    by_sex = counts.groupby(["sex", "startage", "cause_group"], as_index=False)["deaths"].sum()
    synthetic = bool(counts["is_synthetic"].any())
    return LocalDeaths(frame, by_sex, lsoas, years, synthetic, counts["apportioned"].sum())


def _summed(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Deaths summed over the rows of each key; population over each LSOA and band once (every
    cause row of a band carries the band's whole population)."""
    deaths = frame.groupby(keys)[["deaths", "preventable"]].sum()
    population_keys = [key for key in keys if key != "cause_group"]
    people = frame.drop_duplicates(["lsoa", "startage"]).groupby(population_keys)["population"]
    return deaths.join(people.sum(), on=population_keys).reset_index()


def _least_deprived_rates(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return _summed(frame[frame["quintile"] == LEAST_DEPRIVED], keys)


def _cause_rows(frame: pd.DataFrame, years: int) -> list[dict]:
    """By cause: contribution to the most vs least deprived fifth's gap and deaths a year to
    avert at the least deprived fifth's rates."""
    labels = group_labels()
    by_cause = _summed(frame, ["cause_group", "startage"])
    target = _least_deprived_rates(frame, ["cause_group", "startage"])
    avert = deaths_to_avert(by_cause, "deaths", "population", "startage", by="cause_group",
                            target_rates=target, years_of_data=years)  # fmt: skip
    avert = avert[avert["startage"] == ALL_AGES].set_index("cause_group")
    gap = _deprivation_gap(frame, cause=True).groupby("cause_group")["value"].sum()
    preventable = by_cause.groupby("cause_group")["preventable"].sum() / years
    return [
        {"category": labels[cause], "order": order, "series": "Persons",
         "value": rounded(gap.get(cause), 2), "observed": rounded(avert.loc[cause, "observed"]),
         "expected": rounded(avert.loc[cause, "expected"]),
         "avert": rounded(avert.loc[cause, "value"]), "lower": rounded(avert.loc[cause, "lowercl"]),
         "upper": rounded(avert.loc[cause, "uppercl"]),
         "preventable": rounded(preventable.get(cause))}
        for order, cause in enumerate(labels)
    ]  # fmt: skip


def _deprivation_gap(frame: pd.DataFrame, cause: bool) -> pd.DataFrame:
    keys = ["quintile", "startage", *(["cause_group"] if cause else [])]
    data = _summed(frame[frame["quintile"].isin([MOST_DEPRIVED, LEAST_DEPRIVED])], keys)
    return arriaga(data, "deaths", "population", "startage", groups="quintile",
                   first=MOST_DEPRIVED, second=LEAST_DEPRIVED,
                   cause="cause_group" if cause else None)  # fmt: skip


def _ward_rows(frame: pd.DataFrame, years: int) -> list[dict]:
    wards = _summed(frame, ["ward", "ward_name", "startage"])
    target = _least_deprived_rates(frame, ["startage"])
    avert = deaths_to_avert(wards, "deaths", "population", "startage", by=["ward", "ward_name"],
                            target_rates=target, years_of_data=years)  # fmt: skip
    avert = avert[avert["startage"] == ALL_AGES].sort_values("value", ascending=False)
    preventable = wards.groupby("ward")["preventable"].sum() / years
    return [
        {"name": row.ward_name, "code": row.ward, "order": order,
         "observed": rounded(row.observed), "expected": rounded(row.expected),
         "value": rounded(row.value), "lower": rounded(row.lowercl), "upper": rounded(row.uppercl),
         "preventable": rounded(preventable[row.ward]), "colour": "Deaths a year to avert",
         "highlight": False}
        for order, row in enumerate(avert.itertuples())
    ]  # fmt: skip


def _sex_gap_by_cause(local: LocalDeaths, shares: pd.DataFrame) -> pd.DataFrame:
    """Men against women by cause, over the area's population split by sex as published."""
    persons = _summed(local.frame, ["startage"])[["startage", "population"]]
    data = gap_views.sexes_from_persons(local.by_sex, persons, shares, list(group_labels()))
    return gap_views.sex_gap(data, cause="cause_group")


def _ward_comparison(frame: pd.DataFrame, chosen: str) -> dict:
    """Every ward's life expectancy against the city's, and the chosen ward's gap (the
    shortest-lived ward's when ``chosen`` is not one of them) by age band and by cause."""
    keys = ["startage", "cause_group"]
    wards = _summed(frame, ["ward", *keys])
    gaps = gap_views.wards_against_city(wards, _summed(frame, keys))
    names = dict(frame[["ward", "ward_name"]].drop_duplicates().itertuples(index=False))
    ranked = gap_views.ward_life_expectancy_rows(gaps, names)
    code = chosen if chosen in names else ranked[0]["code"]
    own = gaps[gaps["ward"] == code]
    by_age = own.groupby("startage", as_index=False)["value"].sum()
    by_cause = own.groupby("cause_group", as_index=False)["value"].sum()
    return {
        "code": code,
        "name": names[code],
        "options": sorted(((ward, name) for ward, name in names.items()), key=lambda o: o[1]),
        "ranked": ranked,
        "ages": gap_rows(by_age, lambda r: names[code], band_of),
        "causes": gap_rows(by_cause, lambda r: names[code], cause_of),
        "row": next(row for row in ranked if row["code"] == code),
    }


def local_gap(
    area: Area, shares: pd.DataFrame, ward: str = "", unsuppressed: bool = False
) -> dict | None:
    """The gap within the area from its record-level deaths: the ward and cause tables under
    disclosure control unless ``unsuppressed`` (for signed-in analysts only); men against women
    by cause (the population split by ``shares`` of each sex by band); ``ward`` against the
    city."""
    local = _local_frame(area)
    if local is None:
        return None
    frame, years = local.frame, local.years
    by_age = _deprivation_gap(frame, cause=False)
    tables = {"wards": _ward_rows(frame, years), "causes": _cause_rows(frame, years)}
    control = disclosure.control(frame, years, tables, unsuppressed)
    sexes = _sex_gap_by_cause(local, shares)
    sex_causes = sexes.groupby("cause_group", as_index=False)["value"].sum()
    return {
        "years": years,
        "synthetic": local.synthetic,
        "lsoas": len(local.lsoas),
        "apportioned": local.apportioned > 0,
        "apportioned_shown": disclosure.shown_count(local.apportioned, unsuppressed),
        "disclosure": control,
        "causes": tables["causes"],
        "ages": gap_rows(by_age, lambda r: "Persons", band_of),
        "le_most": rounded(by_age["le_first"].iloc[0]),
        "le_least": rounded(by_age["le_second"].iloc[0]),
        "gap": rounded(by_age["value"].sum(), 2),
        "wards": tables["wards"],
        "sex_causes": gap_rows(sex_causes, lambda r: gap_views.SEX_GAP_SERIES, cause_of),
        "sex_le_gap": rounded(sexes["le_second"].iloc[0] - sexes["le_first"].iloc[0], 2),
        "ward_gap": _ward_comparison(frame, ward),
    }
