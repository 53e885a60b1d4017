"""Inequalities: life expectancy by deprivation decile with the slope index of inequality, life
expectancy along a route across the city's wards (the "bus route"), and any indicator broken
down by sex, age, deprivation decile or ethnic group where its data has the breakdown."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from healthgap.areas.models import Area, Boundary
from healthgap.areas.queries import wards_of
from healthgap.demo import synthetic
from healthgap.indicators import queries
from healthgap.indicators.disclosure import as_published
from healthgap.indicators.models import Indicator, IndicatorValue
from healthgap.methods import sii
from healthgap.web import outcome_charts
from healthgap.web.formats import DataTable
from healthgap.web.pages.common import (
    Filter,
    OutcomePage,
    choose,
    compared,
    decimals,
    plain_options,
    rounded,
)

INTERVAL_COLUMNS = [
    ("value", "Life expectancy (years)"),
    ("lower", "Lower 95% limit"),
    ("upper", "Upper 95% limit"),
]
DECILE_COLUMNS = [("decile", "Local deprivation decile"), ("position", "Position"),
                  ("deaths", "Deaths (synthetic)"), ("population", "Person-years"),
                  *INTERVAL_COLUMNS]  # fmt: skip
ROUTE_COLUMNS = [("stop", "Stop"), ("name", "Ward"), ("code", "Code"), *INTERVAL_COLUMNS,
                 ("colour", "Compared with the city")]  # fmt: skip
BREAKDOWN_COLUMNS = [("name", "Group"), ("value", "Value"), ("lower", "Lower 95% limit"),
                     ("upper", "Upper 95% limit"),
                     ("colour", "Compared with the whole area")]  # fmt: skip


INTERVALS = ("value", "lower", "upper")


def _decile_number(category: str) -> int:
    return int(category.split()[0])


def deciles(area: Area) -> tuple[list[dict], dict]:
    """Life expectancy by local decile (synthetic) placed at each decile's population
    midpoint, and the slope index of inequality with its fitted line. The indicator is built
    from record-level deaths, so the public sees its deaths under disclosure control."""
    indicator = Indicator.objects.get(code=synthetic.DECILE_LE)
    rows = queries.breakdown_values(area.code, synthetic.DECILE_LE)
    values = [
        row
        for row in as_published(indicator, rows, unsuppressed=False)
        if row["category_type"] == synthetic.DECILE_TYPE and row["value"] is not None
    ]
    values.sort(key=lambda row: _decile_number(row["category"]))
    total = sum(row["denominator"] for row in values) or 1
    rows, cumulative = [], 0.0
    for row in values:
        share = row["denominator"] / total
        rows.append(
            {
                "decile": row["category"],
                "position": round(cumulative + share / 2, 4),
                "deaths": rounded(row["count"], 0),
                "population": rounded(row["denominator"], 0),
                "value": rounded(row["value"], 2),
                "lower": rounded(row["lower95"], 2),
                "upper": rounded(row["upper95"], 2),
            }
        )
        cumulative += share
    return rows, _slope_index(values)


def _slope_index(values: list[dict]) -> dict:
    if len(values) < 2:
        return {}
    frame = pd.DataFrame(
        {
            "decile": [_decile_number(row["category"]) for row in values],
            "value": [row["value"] for row in values],
            "population": [row["denominator"] for row in values],
            "lower": [row["lower95"] for row in values],
            "upper": [row["upper95"] for row in values],
        }
    )
    result = sii(frame, "value", "decile", "population", lower_cl="lower", upper_cl="upper",
                 intercept=True, repetitions=10_000, type="standard").iloc[0]  # fmt: skip
    return {
        "sii": rounded(result["sii"], 2),
        "lower": rounded(result["sii_lowercl"], 2),
        "upper": rounded(result["sii_uppercl"], 2),
        "intercept": float(result["intercept"]),
    }


def _west_to_east(codes) -> dict[str, float]:
    """Each area's mean longitude: the order of stops on a route across the city."""
    found = {}
    for code, geometry in Boundary.objects.filter(area_id__in=codes).values_list(
        "area_id", "geometry"
    ):
        longitudes = []
        _collect_longitudes(geometry["coordinates"], longitudes)
        found[code] = sum(longitudes) / len(longitudes)
    return found


def _collect_longitudes(coordinates, into: list) -> None:
    if coordinates and isinstance(coordinates[0], int | float):
        into.append(coordinates[0])
        return
    for item in coordinates:
        _collect_longitudes(item, into)


def bus_route(area: Area) -> tuple[list[dict], dict | None]:
    """Synthetic life expectancy in each ward, wards ordered west to east, against the city."""
    wards = {ward.code: ward for ward in wards_of(area)}
    values = IndicatorValue.objects.filter(
        indicator_id=synthetic.WARD_LE, area_id__in=[*wards, area.code], category_type=""
    )
    found = {row["area_id"]: row for row in queries.value_rows(values)}
    city = found.pop(area.code, None)
    longitude = _west_to_east(list(found))
    ordered = sorted(found.values(), key=lambda row: longitude.get(row["area_id"], 0))
    indicator = queries.indicators_by_code([synthetic.WARD_LE]).get(synthetic.WARD_LE)
    labels = (
        compared(ordered, city["value"] if city else None, indicator, "95") if indicator else []
    )
    rows = [
        {
            "stop": stop + 1,
            "order": stop,
            "name": wards[row["area_id"]].name,
            "code": row["area_id"],
            "value": rounded(row["value"], 1),
            "lower": rounded(row["lower95"], 1),
            "upper": rounded(row["upper95"], 1),
            "colour": label,
        }
        for stop, (row, label) in enumerate(zip(ordered, labels))
    ]
    return rows, city


def _breakdown_options(area: Area) -> dict[str, dict[str, list[dict]]]:
    """{indicator code: {breakdown: latest values}} for indicators with a breakdown."""
    rows = queries.value_rows(
        IndicatorValue.objects.filter(area_id=area.code).order_by("period__start")
    )
    latest = {}
    for row in rows:
        latest[row["indicator_id"]] = row["period"]
    options: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row["period"] != latest[row["indicator_id"]] or row["value"] is None:
            continue
        kind = row["category_type"] or "Sex"
        options[row["indicator_id"]][kind].append(row)
    return {
        code: {kind: found for kind, found in kinds.items() if len(found) > 1}
        for code, kinds in options.items()
        if any(len(found) > 1 for found in kinds.values())
    }


def breakdown(area: Area, params) -> tuple[list[Filter], list[dict], object, str]:
    options = _breakdown_options(area)
    indicators = queries.indicators_by_code(options)
    choices = sorted(((code, indicators[code].name) for code in options), key=lambda c: c[1])
    if not choices:
        return [], [], None, ""
    code = choose(params, "indicator", choices, choices[0][0])
    kinds = plain_options(sorted(options[code]))
    kind = choose(params, "breakdown", kinds, kinds[0][0])
    values = options[code][kind]
    whole = next((row["value"] for row in values if not row["category_type"]), None)
    labels = compared(values, whole, indicators[code], "95")
    rows = [
        {
            "order": order,
            "name": row["category"] or f"{row['sex']}, {row['age']}",
            "value": rounded(row["value"]),
            "lower": rounded(row["lower95"]),
            "upper": rounded(row["upper95"]),
            "colour": label,
            "highlight": False,
        }
        for order, (row, label) in enumerate(zip(values, labels))
    ]
    filters = [
        Filter("indicator", "Indicator broken down", choices, code),
        Filter("breakdown", "Breakdown", kinds, kind),
    ]
    return filters, rows, indicators[code], f"{values[0]['period']}"


def _decile_chart(area: Area, rows: list[dict], slope: dict):
    line = []
    if slope:
        start = slope["intercept"]
        line = [{"position": 0, "value": start}, {"position": 1, "value": start + slope["sii"]}]
    description = (
        f"Life expectancy (synthetic) in each local deprivation decile of {area.name}, placed at "
        "the middle of its share of the population (0 = most deprived, 1 = least deprived), with "
        "95% limits, and the fitted slope index of inequality as a red line: "
        f"{slope.get('sii')} years (95% limits {slope.get('lower')} to {slope.get('upper')})."
    )
    return outcome_charts.slope_index(
        "decile-chart",
        f"Life expectancy by local deprivation decile, {area.name} (synthetic)",
        description,
        rows,
        line,
        value_title="Life expectancy (years)",
    )


def _route_chart(area: Area, rows: list[dict], city: dict | None, gap: dict):
    description = (
        f"Life expectancy (synthetic) in each of {len(rows)} wards of {area.name}, stops ordered "
        f"from west to east, with 95% limits; the dashed line is the city ({gap.get('city')}). "
        f"Highest {gap.get('best_value')} in {gap.get('best')}, lowest {gap.get('worst_value')} "
        f"in {gap.get('worst')}: a gap of {gap.get('gap')} years."
    )
    return outcome_charts.route(
        "route-chart",
        f"Life expectancy along a route across {area.name}'s wards (synthetic)",
        description,
        rows,
        value_title="Life expectancy (years)",
        benchmark=rounded(city["value"]) if city else None,
        scale=outcome_charts.colour_scale(row["colour"] for row in rows),
    )


def _gap(rows: list[dict], city: dict | None) -> dict:
    if not rows:
        return {}
    best = max(rows, key=lambda row: row["value"])
    worst = min(rows, key=lambda row: row["value"])
    return {
        "best": best["name"], "best_value": best["value"],
        "worst": worst["name"], "worst_value": worst["value"],
        "gap": round(best["value"] - worst["value"], 1),
        "city": rounded(city["value"]) if city else None,
    }  # fmt: skip


def build(area: Area, params) -> OutcomePage:
    decile_rows, slope = deciles(area)
    route_rows, city = bus_route(area)
    gap = _gap(route_rows, city)
    filters, breakdown_rows, indicator, period = breakdown(area, params)
    tables = [
        DataTable("deciles", f"Life expectancy by local deprivation decile, {area.name} "
                  "(synthetic)", DECILE_COLUMNS, decile_rows,
                  decimals={"deaths": 0, "population": 0} | dict.fromkeys(INTERVALS, 2)),
        DataTable("route", f"Life expectancy by ward, west to east, {area.name} (synthetic)",
                  ROUTE_COLUMNS, route_rows, decimals=dict.fromkeys(INTERVALS, 1)),
    ]  # fmt: skip
    charts = {}
    if decile_rows:
        charts["deciles"] = _decile_chart(area, decile_rows, slope)
    if route_rows:
        charts["route"] = _route_chart(area, route_rows, city, gap)
    if indicator:
        title = f"{indicator.name} by {filters[1].selected.lower()}, {area.name}, {period}"
        tables.append(
            DataTable(
                "breakdown",
                title,
                BREAKDOWN_COLUMNS,
                breakdown_rows,
                decimals=dict.fromkeys(INTERVALS, decimals(indicator)),
            )
        )
        charts["breakdown"] = _breakdown_chart(title, indicator, breakdown_rows)
    return OutcomePage(
        title=f"Inequalities: {area.name}",
        template="web/inequalities.html",
        tables=tables,
        charts=charts,
        filters=filters,
        context={"slope": slope, "gap": gap},
        synthetic=bool(decile_rows or route_rows),
    )


def _breakdown_chart(title: str, indicator, rows: list[dict]):
    description = (
        f"{title}: each group's value with 95% limits, coloured by comparison with the whole "
        "area's value where there is one. The table below gives every figure."
    )
    return outcome_charts.ranked_bars(
        "breakdown-chart",
        title,
        description,
        rows,
        value_title=indicator.unit or "Value",
        colour_title="Compared with the whole area (95%)",
        scale=outcome_charts.colour_scale(row["colour"] for row in rows),
    )
