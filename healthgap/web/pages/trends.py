"""Trends: one indicator over time for an area, with its 95% limits, against England and the
region, and Fingertips' recent-trend verdict."""

from __future__ import annotations

from healthgap.areas.models import Area
from healthgap.constants import ENGLAND_CODE
from healthgap.indicators import queries
from healthgap.web import outcome_charts
from healthgap.web.formats import DataTable, NotFound
from healthgap.web.pages.common import (
    Filter,
    OutcomePage,
    choose,
    decimals,
    plain_options,
    rounded,
    stored_comparison,
    trend_label,
)

COLUMNS = [
    ("period", "Period"),
    ("count", "Count"),
    ("value", "Value"),
    ("lower95", "Lower 95% limit"),
    ("upper95", "Upper 95% limit"),
    ("england", "England"),
    ("region", "Region"),
    ("compared_to_england", "Compared with England"),
    ("recent_trend", "Recent trend"),
]
FIGURES = ("value", "lower95", "upper95", "england", "region")


def indicator_filters(area_codes, params, *, with_period=False) -> tuple[list[Filter], object]:
    """Indicator, sex, age (and period) selects for indicators with data for the areas given,
    and the chosen indicator; the other options are those the chosen indicator has."""
    indicators = queries.indicators_with_data(area_codes)
    if not indicators:
        raise NotFound("No indicator data has been loaded for this area.")
    options = [(indicator.code, indicator.name) for indicator in indicators]
    code = choose(params, "indicator", options, options[0][0])
    indicator = next(item for item in indicators if item.code == code)
    points = queries.indicator_points(code, area_codes)
    filters = [Filter("indicator", "Indicator", options, code)]
    for index, (name, label) in enumerate((("period", "Period"), ("sex", "Sex"), ("age", "Age"))):
        if name == "period" and not with_period:
            continue
        values = plain_options(dict.fromkeys(point[index] for point in points))
        filters.append(Filter(name, label, values, choose(params, name, values, points[0][index])))
    return filters, indicator


def _table_rows(series: list[dict], area: Area, region: Area | None) -> list[dict]:
    by_period: dict[str, dict] = {}
    for row in series:
        entry = by_period.setdefault(row["period"], {"period": row["period"]})
        if row["area_id"] == area.code:
            entry.update(
                count=rounded(row["count"], 0),
                value=rounded(row["value"]),
                lower95=rounded(row["lower95"]),
                upper95=rounded(row["upper95"]),
                compared_to_england=stored_comparison(row),
                recent_trend=trend_label(row),
            )
        elif row["area_id"] == ENGLAND_CODE:
            entry["england"] = rounded(row["value"])
        elif region and row["area_id"] == region.code:
            entry["region"] = rounded(row["value"])
    return [entry for entry in by_period.values() if "value" in entry]


def _chart_rows(table_rows: list[dict], area: Area, region: Area | None) -> list[dict]:
    points = []
    for order, row in enumerate(table_rows):
        base = {"period": row["period"], "order": order}
        points.append(
            {
                **base,
                "series": area.name,
                "is_area": True,
                "value": row["value"],
                "lower": row["lower95"],
                "upper": row["upper95"],
                "significance": row["compared_to_england"],
            }
        )
        for series, key in (("England", "england"), (region.name if region else "", "region")):
            if row.get(key) is not None:
                points.append({**base, "series": series, "is_area": False, "value": row[key]})
    return points


def build(area: Area, params) -> OutcomePage:
    filters, indicator = indicator_filters([area.code], params)
    sex, age = filters[1].selected, filters[2].selected  # indicator, sex, age
    region = area.region()
    codes = [area.code, ENGLAND_CODE, *([region.code] if region else [])]
    series = queries.series_values(indicator.code, codes, sex, age)
    table_rows = _table_rows(series, area, region)
    verdict = table_rows[-1]["recent_trend"] if table_rows else "Cannot be calculated"
    label = f"{indicator.name} ({sex}, {age})"
    places = decimals(indicator)
    places = {"count": 0} | dict.fromkeys(FIGURES, places)
    table = DataTable("trend", f"{label}: {area.name}", COLUMNS, table_rows, decimals=places)
    description = (
        f"{label} for {area.name} in each period from {table_rows[0]['period']} to "
        f"{table_rows[-1]['period']}, with 95% confidence limits as whiskers, circles coloured by "
        f"comparison with England, and England and the region as dashed lines. Recent trend: "
        f"{verdict}. The table below gives every figure."
        if table_rows
        else f"No values of {label} for {area.name}."
    )
    chart = outcome_charts.trend(
        "trend-chart",
        f"{label}, {area.name}",
        description,
        _chart_rows(table_rows, area, region),
        value_title=indicator.unit or "Value",
    )
    return OutcomePage(
        title=f"Trend: {indicator.name}",
        template="web/trends.html",
        tables=[table],
        charts={"trend": chart},
        filters=filters,
        context={"indicator": indicator, "verdict": verdict},
        synthetic=indicator.is_synthetic,
    )
