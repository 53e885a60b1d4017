"""Box plots over time: for each period, the spread of one indicator across England's
upper-tier authorities, with the area and England marked, as Fingertips draws them: a box from
the 25th to the 75th percentile with the median, whiskers to the 5th and 95th percentiles, and
the lowest and highest in the table."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from healthgap.areas.models import Area
from healthgap.constants import ENGLAND_CODE
from healthgap.indicators import queries
from healthgap.web import outcome_charts
from healthgap.web.formats import DataTable
from healthgap.web.pages.common import OutcomePage, decimals, rounded
from healthgap.web.pages.trends import indicator_filters

# Percentiles need more than 3 values (Fingertips); linear interpolation at (n - 1)p + 1.
MIN_VALUES = 4
STATISTICS = ("low", "p5", "q25", "median", "q75", "p95", "high")
PERCENTILES = [0, 5, 25, 50, 75, 95, 100]
COLUMNS = [
    ("period", "Period"),
    ("authorities", "Authorities"),
    ("low", "Lowest"),
    ("p5", "5th percentile"),
    ("q25", "25th percentile"),
    ("median", "Median"),
    ("q75", "75th percentile"),
    ("p95", "95th percentile"),
    ("high", "Highest"),
    ("area", "Area"),
    ("england", "England"),
]


def box_of(values: list[float]) -> dict | None:
    """Lowest, 5th, 25th, 50th, 75th and 95th percentiles and highest of the values; None for
    3 values or fewer."""
    if len(values) < MIN_VALUES:
        return None
    numbers = np.percentile(values, PERCENTILES)
    return dict(zip(STATISTICS, (float(number) for number in numbers), strict=True))


def _rows(series: list[dict], area: Area) -> list[dict]:
    upper_tier = set(Area.objects.upper_tier().values_list("code", flat=True))
    by_period: dict[str, list[float]] = defaultdict(list)
    marked: dict[str, dict] = defaultdict(dict)
    for row in series:
        if row["value"] is None:
            continue
        if row["area_id"] in upper_tier:
            by_period[row["period"]].append(row["value"])
        if row["area_id"] == area.code:
            marked[row["period"]]["area"] = rounded(row["value"], 2)
        if row["area_id"] == ENGLAND_CODE:
            marked[row["period"]]["england"] = rounded(row["value"], 2)
    rows = []
    for period, values in by_period.items():  # series come oldest first
        box = box_of(values)
        if box is None:
            continue
        rows.append(
            {
                "period": period,
                "authorities": len(values),
                **{key: rounded(number, 2) for key, number in box.items()},
                "area": marked[period].get("area"),
                "england": marked[period].get("england"),
            }
        )
    return rows


def build(area: Area, params) -> OutcomePage:
    upper_tier = list(Area.objects.upper_tier().values_list("code", flat=True))
    filters, indicator = indicator_filters([area.code, *upper_tier], params)
    sex, age = filters[1].selected, filters[2].selected
    codes = [*upper_tier, area.code, ENGLAND_CODE]
    rows = _rows(queries.series_values(indicator.code, codes, sex, age), area)
    label = f"{indicator.name} ({sex}, {age})"
    description = (
        f"{label}: for each of {len(rows)} periods, a box from the 25th to the 75th percentile of "
        "England's upper-tier authorities with a line at the median and whiskers to the 5th and "
        f"95th percentiles; {area.name} is the black circle and England the white diamond. The "
        "table below gives every figure, with the lowest and highest."
    )
    chart = outcome_charts.box_plots(
        "box-plot-chart",
        f"{label}: upper-tier authorities, {area.name} and England",
        description,
        rows,
        value_title=indicator.unit or "Value",
        area_name=area.name,
    )
    places = dict.fromkeys([*STATISTICS, "area", "england"], decimals(indicator))
    table = DataTable("periods", f"{label}: spread of upper-tier authorities", COLUMNS, rows,
                      decimals={"authorities": 0, **places})  # fmt: skip
    return OutcomePage(
        title=f"Box plots: {indicator.name}",
        template="web/boxplots.html",
        tables=[table],
        charts={"boxplots": chart},
        filters=filters,
        context={"indicator": indicator},
        synthetic=indicator.is_synthetic,
    )
