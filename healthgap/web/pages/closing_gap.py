"""Closing the gap: the deaths a year an area would need to avert to reach a target's death
rates, and its life expectancy gap split by age band and cause (Arriaga), in the style of the
Health Inequalities Intervention Tool and OHID's Segment Tool.

Real data first: ONS deaths and populations by authority, sex and age band give the gap with
England (or the best-quartile threshold authority) for men and women. Causes, deprivation
within the area and wards come from the council's record-level deaths extract (the demo's is
synthetic, and the page says so), compared with the area's own least deprived fifth.
"""

from __future__ import annotations

import pandas as pd

from healthgap.areas.models import UPPER_TIER_TYPES, Area
from healthgap.constants import ENGLAND_CODE
from healthgap.methods import arriaga, deaths_to_avert, dsr, quantile
from healthgap.mortality import queries
from healthgap.mortality.causes import group_labels
from healthgap.web import outcome_charts
from healthgap.web.formats import DataTable, NotFound
from healthgap.web.gap_charts import gap_bars
from healthgap.web.pages import gap_disclosure
from healthgap.web.pages.common import Filter, OutcomePage, choose, rounded

TARGETS = [("england", "England's death rates"), ("top-quartile", "Best-quartile threshold")]
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
    return [
        Filter("target", "Target", TARGETS, choose(params, "target", TARGETS, "england")),
        Filter("year", "Year of registration", year_options,
               choose(params, "year", year_options, year_options[0][0])),
    ]  # fmt: skip


def _persons_bands(rows: pd.DataFrame) -> pd.DataFrame:
    """Persons by the 19 bands of the European Standard Population (<1 and 1-4 joined)."""
    rows = rows.assign(startage=rows["startage"].where(rows["startage"] != 1, 0))
    return rows.groupby(["area", "startage"], as_index=False)[["deaths", "population"]].sum()


def threshold_authority(rows: pd.DataFrame) -> str:
    """The upper-tier authority at the best quartile's edge: the highest age-standardised
    death rate (ESP 2013) among the quarter of authorities with the lowest rates."""
    upper = set(Area.objects.filter(area_type__in=UPPER_TIER_TYPES).values_list("code", flat=True))
    persons = _persons_bands(rows[rows["area"].isin(upper)]).sort_values(["area", "startage"])
    rates = dsr(persons, "deaths", "population", by="area", type="standard")
    rates["quartile"] = quantile(rates, "value", nquantiles=4, invert=False, type="standard")[
        "quantile"
    ].to_numpy()
    best = rates[rates["quartile"] == 1]
    return str(best.loc[best["value"].idxmax(), "area"])


def _target(rows: pd.DataFrame, target: str) -> tuple[str, pd.DataFrame]:
    code = threshold_authority(rows) if target == "top-quartile" else ENGLAND_CODE
    name = Area.objects.get(code=code).name
    return name, rows[rows["area"] == code]


def _avert_rows(result: pd.DataFrame) -> list[dict]:
    return [
        {
            "series": SEXES.get(row.sex, row.sex),
            "category": ALL_AGES if row.startage == ALL_AGES else LABEL_OF_BAND[row.startage],
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


def published_gap(area: Area, year: int, target: str) -> dict:
    """Deaths to avert by sex and band against the target, and Arriaga against England."""
    rows = queries.published_deaths(year=year)
    own = rows[rows["area"] == area.code]
    target_name, target_rows = _target(rows, target)
    columns = ["sex", "startage", "deaths", "population"]
    avert = deaths_to_avert(
        own[columns], "deaths", "population", "startage", by="sex",
        target_rates=target_rows[columns], confidence=0.95,
    )  # fmt: skip
    both = pd.concat([own.assign(group="area"), rows[rows["area"] == ENGLAND_CODE].assign(
        group="england")])  # fmt: skip
    gap = arriaga(both, "deaths", "population", "startage", groups="group", first="area",
                  second="england", by="sex")  # fmt: skip
    return {
        "target_name": target_name,
        "avert": _avert_rows(avert),
        "gap": _gap_rows(gap, lambda r: SEXES[r.sex], _band),
        "life_expectancy": {
            SEXES[sex]: {
                "area": rounded(part["le_first"].iloc[0]),
                "england": rounded(part["le_second"].iloc[0]),
                "gap": rounded(part["value"].sum(), 2),
            }
            for sex, part in gap.groupby("sex")
        },  # fmt: skip
    }


def _local_frame(area: Area) -> tuple[pd.DataFrame, pd.DataFrame, int, bool] | None:
    """Persons' deaths by LSOA, band and cause over the years held (every cell, zeros too),
    with the LSOAs' quintile of deprivation within the area; None without counted deaths."""
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
    return frame, lsoas, years, bool(counts["is_synthetic"].any())


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


def local_gap(area: Area, unsuppressed: bool = False) -> dict | None:
    """The gap within the area from its record-level deaths: the ward and cause tables under
    disclosure control unless ``unsuppressed`` (for signed-in analysts only)."""
    found = _local_frame(area)
    if found is None:
        return None
    frame, lsoas, years, synthetic = found
    by_age = _deprivation_gap(frame, cause=False)
    tables = {"wards": _ward_rows(frame, years), "causes": _cause_rows(frame, years)}
    disclosure = gap_disclosure.control(frame, years, tables, unsuppressed)
    return {
        "years": years,
        "synthetic": synthetic,
        "lsoas": len(lsoas),
        "disclosure": disclosure,
        "causes": tables["causes"],
        "ages": _gap_rows(by_age, lambda r: "Persons", _band),
        "le_most": rounded(by_age["le_first"].iloc[0]),
        "le_least": rounded(by_age["le_second"].iloc[0]),
        "gap": rounded(by_age["value"].sum(), 2),
        "wards": tables["wards"],
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


def _section(key, heading, text, chart, table) -> dict:
    return {"key": key, "heading": heading, "text": text, "chart": chart, "table": table}


def _published_sections(area: Area, data: dict, year: str) -> list[dict]:
    bands = [row for row in data["avert"] if row["category"] != ALL_AGES]
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
    ]  # fmt: skip


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
    ]  # fmt: skip


def build(area: Area, params, *, unsuppressed: bool = False) -> OutcomePage:
    """The page; its counts from record-level deaths are disclosure-controlled unless
    ``unsuppressed`` (signed-in analysts only: such a page is never cached)."""
    years = queries.published_years(area.code)
    if not years:
        raise NotFound(f"No published deaths by age band are held for {area.name}.")
    filters = _filters(params, years)
    target, year = (item.selected for item in filters)
    published = published_gap(area, int(year), target)
    local = local_gap(area, unsuppressed)
    sections = _published_sections(area, published, year)
    if local:
        sections += _local_sections(area, local)
    return OutcomePage(
        title=f"Closing the gap: {area.name}",
        template="web/closing_gap.html",
        tables=[section["table"] for section in sections],
        charts={section["key"]: section["chart"] for section in sections},
        filters=filters,
        context={"published": published, "local": local, "sections": sections, "year": year},
        synthetic=bool(local and local["synthetic"]),
    )
