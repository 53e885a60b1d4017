"""Closing the gap: the deaths a year an area would need to avert to reach a target's death
rates, and its life expectancy gap split by age band and cause (Arriaga), in the style of the
Health Inequalities Intervention Tool and OHID's Segment Tool.

Real data first: ONS deaths and populations by authority, sex and age band give the gap with
England (or the best-quartile threshold authority) for men and women. Causes, deprivation
within the area and wards come from the council's record-level deaths extract (the demo's is
synthetic, and the page says so), compared with the area's own least deprived fifth.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from healthgap.areas.models import UPPER_TIER_TYPES, Area
from healthgap.constants import ENGLAND_CODE
from healthgap.methods import arriaga, deaths_to_avert, dsr, quantile
from healthgap.mortality import queries
from healthgap.mortality.causes import group_labels
from healthgap.web import outcome_charts
from healthgap.web.formats import DataTable, NotFound
from healthgap.web.gap_charts import gap_bars
from healthgap.web.pages import gap_disclosure, gap_views
from healthgap.web.pages.common import Filter, OutcomePage, choose, rounded

DECILE_TARGET = "least-deprived-decile"
TARGETS = [("england", "England's death rates"), ("top-quartile", "Best-quartile threshold"),
           (DECILE_TARGET, "England's least deprived tenth (under 75)")]  # fmt: skip
LEAST_DEPRIVED_DECILE = 10
DECILE_BELOW = 75  # ONS gives England's deaths by deprivation decile under 75 only
SEXES = {"male": "Male", "female": "Female"}
BAND_LABELS = ["<1", "1-4", *[f"{a}-{a + 4}" for a in range(5, 90, 5)], "90+"]
LABEL_OF_BAND = dict(zip(queries.BAND_STARTS, BAND_LABELS))
ALL_AGES = "All ages"
QUINTILES = 5
LEAST_DEPRIVED, MOST_DEPRIVED = 5, 1
AVERT_COLUMNS = [
    ("series", "Sex"), ("category", "Age band"), ("observed", "Deaths a year"),
    ("expected", "Deaths a year at the target's rates"), ("value", "Deaths a year to avert"),
    ("lower", "Lower 95% limit"), ("upper", "Upper 95% limit"),
]  # fmt: skip
GAP_COLUMNS = [("series", "Group"), ("category", "Age band"),
               ("value", "Contribution to the gap (years)")]  # fmt: skip


def _filters(params, years: list[int]) -> list[Filter]:
    year_options = [(str(year), str(year)) for year in years]
    year = choose(params, "year", year_options, year_options[0][0])
    goals = [str(int(year) + ahead) for ahead in gap_views.GOAL_YEARS_AHEAD]
    goal_options = [(goal, goal) for goal in goals]
    default_goal = str(int(year) + gap_views.DEFAULT_YEARS_AHEAD)
    return [
        Filter("target", "Target", TARGETS, choose(params, "target", TARGETS, "england")),
        Filter("year", "Year of registration", year_options, year),
        Filter("goal", "Reach the target by", goal_options,
               choose(params, "goal", goal_options, default_goal)),
        Filter("path", "Path to the target", gap_views.PATHS,
               choose(params, "path", gap_views.PATHS, "linear")),
    ]  # fmt: skip


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


def _avert_rows(result: pd.DataFrame, total_label: str = ALL_AGES) -> list[dict]:
    return [
        {
            "series": SEXES.get(row.sex, row.sex),
            "total": row.startage == ALL_AGES,
            "category": total_label if row.startage == ALL_AGES else LABEL_OF_BAND[row.startage],
            "order": len(BAND_LABELS) if row.startage == ALL_AGES else BAND_LABELS.index(
                LABEL_OF_BAND[row.startage]),
            "observed": rounded(row.observed), "expected": rounded(row.expected),
            "value": rounded(row.value), "lower": rounded(row.lowercl),
            "upper": rounded(row.uppercl),
        }
        for row in result.itertuples()
    ]  # fmt: skip


def _gap_rows(result: pd.DataFrame, series_of, category_of, places: int = 2) -> list[dict]:
    return [
        {"series": series_of(row), "category": category_of(row)[0], "order": category_of(row)[1],
         "value": rounded(row.value, places)}
        for row in result.itertuples()
    ]  # fmt: skip


def _band(row) -> tuple[str, int]:
    return LABEL_OF_BAND[row.startage], BAND_LABELS.index(LABEL_OF_BAND[row.startage])


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
        "avert": _avert_rows(avert, target.total_label),
        "gap": _gap_rows(gap, lambda r: SEXES[r.sex], _band),
        "sexes": _gap_rows(sexes, lambda r: gap_views.SEX_GAP_SERIES, _band),
        "le_men": rounded(sexes["le_first"].iloc[0]),
        "le_women": rounded(sexes["le_second"].iloc[0]),
        "sex_gap": rounded(sexes["value"].sum(), 2),
        "shares": gap_views.sex_shares(own),
        "trajectory": _trajectory(own, target, year, choices),
        "life_expectancy": {
            SEXES[sex]: {
                "area": rounded(part["le_first"].iloc[0]),
                "england": rounded(part["le_second"].iloc[0]),
                "gap": rounded(part["value"].sum(), 2),
            }
            for sex, part in gap.groupby("sex")
        },  # fmt: skip
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


def _cause(row) -> tuple[str, int]:
    labels = list(group_labels())
    return group_labels()[row.cause_group], labels.index(row.cause_group)


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
        "ages": _gap_rows(by_age, lambda r: names[code], _band),
        "causes": _gap_rows(by_cause, lambda r: names[code], _cause),
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
    disclosure = gap_disclosure.control(frame, years, tables, unsuppressed)
    sexes = _sex_gap_by_cause(local, shares)
    sex_causes = sexes.groupby("cause_group", as_index=False)["value"].sum()
    return {
        "years": years,
        "synthetic": local.synthetic,
        "lsoas": len(local.lsoas),
        "apportioned": local.apportioned > 0,
        "apportioned_shown": gap_disclosure.shown_count(local.apportioned, unsuppressed),
        "disclosure": disclosure,
        "causes": tables["causes"],
        "ages": _gap_rows(by_age, lambda r: "Persons", _band),
        "le_most": rounded(by_age["le_first"].iloc[0]),
        "le_least": rounded(by_age["le_second"].iloc[0]),
        "gap": rounded(by_age["value"].sum(), 2),
        "wards": tables["wards"],
        "sex_causes": _gap_rows(sex_causes, lambda r: gap_views.SEX_GAP_SERIES, _cause),
        "sex_le_gap": rounded(sexes["le_second"].iloc[0] - sexes["le_first"].iloc[0], 2),
        "ward_gap": _ward_comparison(frame, ward),
    }


DISCLOSURE_COLUMN = ("disclosure", "Disclosure control")
CAUSE_COLUMNS = [
    ("category", "Cause group"), ("value", "Contribution to the gap (years)"),
    ("observed", "Deaths a year"), ("avert", "Deaths a year to avert"),
    ("lower", "Lower 95% limit"), ("upper", "Upper 95% limit"),
    ("preventable", "Deaths a year considered preventable"), DISCLOSURE_COLUMN,
]  # fmt: skip
WARD_COLUMNS = [
    ("name", "Ward"), ("code", "Code"), ("observed", "Deaths a year"),
    ("expected", "Deaths a year at the target's rates"), ("value", "Deaths a year to avert"),
    ("lower", "Lower 95% limit"), ("upper", "Upper 95% limit"),
    ("preventable", "Deaths a year considered preventable"), DISCLOSURE_COLUMN,
]  # fmt: skip
ONE_DECIMAL = {"observed": 1, "expected": 1, "value": 1, "lower": 1, "upper": 1, "avert": 1,
               "preventable": 1}  # fmt: skip
TWO_DECIMALS = {"value": 2}
TRAJECTORY_COLUMNS = [
    ("category", "Year"), ("expected", "Age-standardised death rate on the path (per 100,000)"),
    ("value", "Deaths a year to avert"),
]  # fmt: skip
CAUSE_GAP_COLUMNS = [("series", "Group"), ("category", "Cause group"),
                     ("value", "Contribution to the gap (years)")]  # fmt: skip
WARD_GAP_COLUMNS = [
    ("name", "Ward"), ("code", "Code"), ("area", "Life expectancy in the ward (years)"),
    ("city", "Life expectancy in the city (years)"), ("value", "Gap with the city (years)"),
]  # fmt: skip


def _section(key, heading, text, chart, table) -> dict:
    return {"key": key, "heading": heading, "text": text, "chart": chart, "table": table}


def _published_sections(area: Area, data: dict, year: str) -> list[dict]:
    bands = [row for row in data["avert"] if not row["total"]]
    target = data["target_name"]
    avert_title = f"Deaths a year to avert to reach {target}'s death rates, {area.name}, {year}"
    gap_title = f"Life expectancy gap with England by age band, {area.name}, {year}"
    avert = gap_bars(
        "avert-chart", avert_title,
        f"For men and women, each age band's deaths in {year} minus the deaths there would have "
        f"been at {target}'s death rates for that band. Bars to the right are deaths to avert.",
        bands, category_title="Age band", value_title="Deaths a year to avert",
    )  # fmt: skip
    gap = gap_bars(
        "gap-age-chart", gap_title,
        "For men and women, how many years of the gap in life expectancy at birth between "
        f"{area.name} and England each age band accounts for (Arriaga). Bars to the right "
        "widen the gap; to the left, narrow it.",
        data["gap"], category_title="Age band", value_title="Years of life expectancy",
    )  # fmt: skip
    return [
        _section("avert", "Deaths a year to avert, by age band", "", avert,
                 DataTable("deaths_to_avert", avert_title, AVERT_COLUMNS, data["avert"],
                           decimals=ONE_DECIMAL)),
        _section("gap-age", "The life expectancy gap with England, by age", "", gap,
                 DataTable("life_expectancy_gap_by_age", gap_title, GAP_COLUMNS, data["gap"],
                           decimals=TWO_DECIMALS)),
        _sex_section(area, data, year),
        *_trajectory_sections(area, data, year),
    ]  # fmt: skip


def _sex_section(area: Area, data: dict, year: str) -> dict:
    title = f"Life expectancy gap between men and women by age band, {area.name}, {year}"
    chart = gap_bars(
        "gap-sex-age-chart", title,
        "How many years of women's longer life expectancy at birth each age band accounts for "
        "(Arriaga, men against women). Bars to the right are ages where men's death rates are "
        "higher than women's.",
        data["sexes"], category_title="Age band", value_title="Years of life expectancy",
    )  # fmt: skip
    text = (
        f"Life expectancy at birth in {year} was {data['le_men']} years for men and "
        f"{data['le_women']} for women: a gap of {data['sex_gap']} years."
    )
    table = DataTable("sex_gap_by_age", title, GAP_COLUMNS, data["sexes"], decimals=TWO_DECIMALS)
    return _section("gap-sex-age", "Men and women, by age", text, chart, table)


def _trajectory_sections(area: Area, data: dict, year: str) -> list[dict]:
    """The path to the target's DSR, or nothing when the area is already at or below it."""
    path = data["trajectory"]
    if not path["rows"]:
        return []
    title = (f"Deaths a year to avert on the path to {data['target_name']}'s death rate by "
             f"{path['goal']}, {area.name}")  # fmt: skip
    chart = gap_bars(
        "trajectory-chart", title,
        f"For each year from {year} to {path['goal']}, the deaths a year fewer than in {year} "
        "that would put the area on the path to the target's age-standardised death rate.",
        path["rows"], category_title="Year", value_title="Deaths a year to avert",
    )  # fmt: skip
    text = (
        f"The age-standardised death rate (persons, {data['ages']}) was {path['baseline']} per "
        f"100,000 in {year}; {data['target_name']}'s was {path['target']}."
    )
    table = DataTable("trajectory", title, TRAJECTORY_COLUMNS, path["rows"],
                      decimals=ONE_DECIMAL)  # fmt: skip
    return [_section("trajectory", "The path to the target", text, chart, table)]


def _local_sections(area: Area, data: dict) -> list[dict]:
    cause_title = f"Gap between the most and least deprived fifth by cause, {area.name}"
    age_title = f"Gap between the most and least deprived fifth by age band, {area.name}"
    ward_title = f"Deaths a year to avert by ward at the least deprived fifth's rates, {area.name}"
    causes = gap_bars(
        "gap-cause-chart", cause_title,
        "How many years of the gap in life expectancy between the area's most and least "
        "deprived fifth of neighbourhoods each group of causes accounts for.",
        data["causes"], category_title="Cause group", value_title="Years of life expectancy",
    )  # fmt: skip
    ages = gap_bars(
        "gap-deprivation-age-chart", age_title,
        "The same gap split by age band: bars to the right are the ages where the most "
        "deprived fifth's death rates are higher.",
        data["ages"], category_title="Age band", value_title="Years of life expectancy",
    )  # fmt: skip
    wards = outcome_charts.ranked_bars(
        "ward-chart", ward_title,
        "Each ward's deaths a year minus those expected at the death rates of the area's least "
        "deprived fifth of neighbourhoods, largest first, with 95% limits.",
        data["wards"], value_title="Deaths a year to avert", colour_title="Measure",
        scale={"domain": ["Deaths a year to avert"], "range": ["#1d70b8"]},
    )  # fmt: skip
    return [
        _section("gap-cause", "Within the area: the deprivation gap by cause", "", causes,
                 DataTable("deprivation_gap_by_cause", cause_title, CAUSE_COLUMNS,
                           data["causes"], decimals={**ONE_DECIMAL, **TWO_DECIMALS})),
        _section("gap-deprivation-age", "Within the area: the deprivation gap by age", "",
                 ages, DataTable("deprivation_gap_by_age", age_title, GAP_COLUMNS,
                                 data["ages"], decimals=TWO_DECIMALS)),
        _section("wards", "Wards", "", wards,
                 DataTable("wards", ward_title, WARD_COLUMNS, data["wards"],
                           decimals=ONE_DECIMAL)),
        _sex_cause_section(area, data),
        *_ward_gap_sections(area, data["ward_gap"]),
    ]  # fmt: skip


def _sex_cause_section(area: Area, data: dict) -> dict:
    title = f"Life expectancy gap between men and women by cause, {area.name}"
    chart = gap_bars(
        "gap-sex-cause-chart", title,
        "How many years of women's longer life expectancy each group of causes accounts for: "
        "bars to the right are causes of which men die more often.",
        data["sex_causes"], category_title="Cause group", value_title="Years of life expectancy",
    )  # fmt: skip
    text = (
        "Deaths by sex from the council's records; the neighbourhoods' population split "
        "between men and women in each age band as in ONS's population estimates for the area."
    )
    table = DataTable("sex_gap_by_cause", title, CAUSE_GAP_COLUMNS, data["sex_causes"],
                      decimals=TWO_DECIMALS)  # fmt: skip
    return _section("gap-sex-cause", "Men and women, by cause", text, chart, table)


def _ward_gap_sections(area: Area, ward: dict) -> list[dict]:
    """Each ward's life expectancy against the city's; the chosen ward's gap by age and cause."""
    ranked_title = f"Life expectancy gap between each ward and {area.name}"
    age_title = f"Life expectancy gap between {ward['name']} and {area.name} by age band"
    cause_title = f"Life expectancy gap between {ward['name']} and {area.name} by cause"
    explained = "Bars to the right widen the gap (the ward's death rates are higher)."
    ranked = gap_bars(
        "ward-gap-chart", ranked_title,
        f"How many years shorter life expectancy at birth is in each ward than in {area.name} "
        "as a whole, largest gap first.",
        ward["ranked"], category_title="Ward", value_title="Years of life expectancy",
    )  # fmt: skip
    ages = gap_bars("ward-gap-age-chart", age_title, f"By age band (Arriaga). {explained}",
                    ward["ages"], category_title="Age band",
                    value_title="Years of life expectancy")  # fmt: skip
    causes = gap_bars("ward-gap-cause-chart", cause_title, f"By cause. {explained}",
                      ward["causes"], category_title="Cause group",
                      value_title="Years of life expectancy")  # fmt: skip
    row = ward["row"]
    text = (f"Life expectancy at birth in {ward['name']} is {row['area']} years, against "
            f"{row['city']} in {area.name}: a gap of {row['value']} years. Choose another ward "
            "with the filters above.")  # fmt: skip
    return [
        _section("ward-gap", "Each ward against the city", "", ranked,
                 DataTable("ward_life_expectancy", ranked_title, WARD_GAP_COLUMNS,
                           ward["ranked"], decimals=TWO_DECIMALS)),
        _section("ward-gap-age", f"{ward['name']} against the city, by age", text, ages,
                 DataTable("ward_gap_by_age", age_title, GAP_COLUMNS, ward["ages"],
                           decimals=TWO_DECIMALS)),
        _section("ward-gap-cause", f"{ward['name']} against the city, by cause", "", causes,
                 DataTable("ward_gap_by_cause", cause_title, CAUSE_GAP_COLUMNS, ward["causes"],
                           decimals=TWO_DECIMALS)),
    ]  # fmt: skip


def build(area: Area, params, *, unsuppressed: bool = False) -> OutcomePage:
    """The page; its counts from record-level deaths are disclosure-controlled unless
    ``unsuppressed`` (signed-in analysts only: such a page is never cached)."""
    years = queries.published_years(area.code)
    if not years:
        raise NotFound(f"No published deaths by age band are held for {area.name}.")
    filters = _filters(params, years)
    choices = {item.name: item.selected for item in filters}
    year = choices["year"]
    published = published_gap(area, choices)
    local = local_gap(area, published.pop("shares"), params.get("ward", ""), unsuppressed)
    sections = _published_sections(area, published, year)
    if local:
        sections += _local_sections(area, local)
        ward = local["ward_gap"]
        filters.append(Filter("ward", "Ward against the city", ward["options"], ward["code"]))
    return OutcomePage(
        title=f"Closing the gap: {area.name}",
        template="web/closing_gap.html",
        tables=[section["table"] for section in sections],
        charts={section["key"]: section["chart"] for section in sections},
        filters=filters,
        context={"published": published, "local": local, "sections": sections, "year": year},
        synthetic=bool(local and local["synthetic"]),
    )
