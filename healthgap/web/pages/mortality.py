"""Premature mortality ranking in the style of PHE's "Longer Lives": every upper-tier authority
ranked on under-75 mortality (all causes, indicator 108, computed from ONS deaths for every
authority; or preventable causes, 93721, which the bundled extract gives for districts and
unitaries only), in quartiles, with the area's gap to the best quartile and roughly how many
deaths a year that gap means. The page says how many authorities the ranking covers."""

from __future__ import annotations

import pandas as pd
from django.db.models import Sum

from healthgap.areas.models import UPPER_TIER_TYPES, Area, AreaType, PopulationEstimate
from healthgap.constants import ENGLAND_CODE, PERSONS
from healthgap.indicators import queries
from healthgap.methods import quantile
from healthgap.web import outcome_charts
from healthgap.web.formats import DataTable, NotFound
from healthgap.web.pages.common import Filter, OutcomePage, choose, plain_options, rounded

# All causes first: computed from ONS deaths, it covers every upper-tier authority.
INDICATORS = ["108", "93721"]
POPULATION_YEAR = 2019
QUARTILES = ["Lowest 25% of authorities", "Lower middle 25%", "Upper middle 25%",
             "Highest 25% of authorities"]  # fmt: skip
QUARTILE_COLOURS = ["#00703c", "#85994b", "#f47738", "#d4351c"]
COLUMNS = [
    ("rank", "Rank (1 = lowest rate)"),
    ("name", "Authority"),
    ("code", "Code"),
    ("value", "Rate per 100,000"),
    ("colour", "Quartile"),
]


def under_75_population(area: Area) -> float | None:
    return PopulationEstimate.objects.filter(
        area=area, year=POPULATION_YEAR, sex="persons", age__lt=75
    ).aggregate(total=Sum("count"))["total"]


def _filters(params) -> list[Filter]:
    loaded = queries.indicators_by_code(INDICATORS)
    options = [(code, loaded[code].name) for code in INDICATORS if code in loaded]
    if not options:
        raise NotFound("No under-75 mortality indicator (108 or 93721) is loaded.")
    code = choose(params, "indicator", options, options[0][0])
    points = queries.indicator_points(code, [ENGLAND_CODE])
    periods = plain_options(dict.fromkeys(point[0] for point in points))
    sexes = plain_options(sorted({point[1] for point in points}))
    default_sex = PERSONS if (PERSONS, PERSONS) in sexes else sexes[0][0]
    return [
        Filter("indicator", "Indicator", options, code),
        Filter("period", "Period", periods, choose(params, "period", periods, periods[0][0])),
        Filter("sex", "Sex", sexes, choose(params, "sex", sexes, default_sex)),
    ]


def counties_without_values(point: tuple, ranked_codes: set[str]) -> list[str]:
    """Names of the counties left out of a ranking although their districts have values: the
    source published the districts only."""
    districts = queries.values_at([point], area_types=[AreaType.DISTRICT])
    district_codes = [row["area_id"] for row in districts if row["value"] is not None]
    counties = Area.objects.filter(
        area_type=AreaType.COUNTY, children__code__in=district_codes
    ).exclude(code__in=ranked_codes)
    return sorted(set(counties.values_list("name", flat=True)))


def ranked(values: list[dict], area: Area, names: dict) -> list[dict]:
    """Authorities by rate, lowest (best) first, each in its quartile (methods.quantile)."""
    values = sorted((row for row in values if row["value"] is not None), key=lambda r: r["value"])
    frame = pd.DataFrame({"value": [row["value"] for row in values]}, dtype="float64")
    quartiles = quantile(frame, "value", nquantiles=4, invert=False, type="standard")["quantile"]
    return [
        {
            "rank": order + 1,
            "order": order,
            "name": names[row["area_id"]],
            "code": row["area_id"],
            "value": rounded(row["value"]),
            "quartile": int(q),
            "colour": QUARTILES[int(q) - 1],
            "highlight": row["area_id"] == area.code,
            "lower": None,
            "upper": None,
        }
        for order, (row, q) in enumerate(zip(values, quartiles))
    ]


def gap_to_top_quartile(rows: list[dict], area: Area) -> dict:
    """The area's rank and quartile, the best quartile's threshold (its highest rate), the gap
    and the deaths a year it means: rate gap x under-75 population / 100,000."""
    own = next((row for row in rows if row["code"] == area.code), None)
    best = [row["value"] for row in rows if row["quartile"] == 1]
    if own is None or not best:
        return {}
    threshold = max(best)
    gap = max(0.0, round(own["value"] - threshold, 1))
    population = under_75_population(area)
    deaths = round(gap * population / 100_000) if population else None
    return {
        "rank": own["rank"], "of": len(rows), "quartile": own["colour"], "value": own["value"],
        "threshold": threshold, "gap": gap, "population": round(population or 0),
        "deaths": deaths,
    }  # fmt: skip


def build(area: Area, params) -> OutcomePage:
    filters = _filters(params)
    code, period, sex = (item.selected for item in filters)
    indicator = queries.indicators_by_code([code])[code]
    age = queries.indicator_points(code, [ENGLAND_CODE])[0][2]
    point = (code, period, sex, age)
    values = queries.values_at([point], area_types=UPPER_TIER_TYPES)
    names = dict(Area.objects.upper_tier().values_list("code", "name"))
    rows = ranked(values, area, names)
    summary = gap_to_top_quartile(rows, area)
    coverage = {
        "ranked": len(rows),
        "missing_counties": counties_without_values(point, {row["code"] for row in rows}),
    }
    title = f"{indicator.name} ({sex}, {age}), {period}: upper-tier authorities ranked"
    description = (
        f"{len(rows)} upper-tier authorities ranked from the lowest rate (best) to the highest, "
        f"coloured by quartile, {area.name} outlined; the dashed line is the highest rate in the "
        f"best quartile ({summary.get('threshold')}). The table below gives every authority."
    )
    chart = outcome_charts.ranked_bars(
        "ranking-chart", title, description, rows,
        value_title="Directly standardised rate per 100,000", colour_title="Quartile",
        scale={"domain": QUARTILES, "range": QUARTILE_COLOURS},
        benchmark=summary.get("threshold"), benchmark_label="Best-quartile threshold",
    )  # fmt: skip
    return OutcomePage(
        title=f"Premature mortality ranking: {area.name}",
        template="web/mortality.html",
        tables=[DataTable("ranking", title, COLUMNS, rows, decimals={"value": 1})],
        charts={"ranking": chart},
        filters=filters,
        context={
            "summary": summary,
            "indicator": indicator,
            "population_year": POPULATION_YEAR,
            "coverage": coverage,
        },
    )
