"""Area profile: each indicator's figure for an area, grouped by domain, with England and region
values and a spine chart (England's worst-to-best range, 25th and 75th percentiles)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from django.urls import reverse
from django.utils.http import urlencode

from healthgap.areas.models import Area
from healthgap.constants import ENGLAND_CODE
from healthgap.indicators import queries
from healthgap.indicators.models import Polarity
from healthgap.web import outcome_charts
from healthgap.web.formats import DataTable
from healthgap.web.indicator_pages import definition_url
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

ALL = ""
COLUMNS = [
    ("domain", "Domain"),
    ("name", "Indicator"),
    ("indicator", "Definition"),
    ("period", "Period"),
    ("sex", "Sex"),
    ("age", "Age"),
    ("count", "Count"),
    ("value", "Value"),
    ("unit", "Unit"),
    ("england", "England"),
    ("region", "Region"),
    ("compared_to_england", "Compared with England"),
    ("recent_trend", "Recent trend"),
    ("worst", "England worst"),
    ("q25", "25th percentile"),
    ("q75", "75th percentile"),
    ("best", "England best"),
]
# HTML decimal places: counts whole, figures to each row's indicator's places
DECIMALS = {"count": 0} | dict.fromkeys(
    ("value", "england", "region", "worst", "q25", "q75", "best"), "decimals"
)


def profile_filters(rows: list[dict], indicators: dict, params) -> list[Filter]:
    domains = sorted({indicators[row["indicator_id"]].domain for row in rows})
    sexes = sorted({row["sex"] for row in rows})
    periods = sorted({(row["period_start"], row["period"]) for row in rows}, reverse=True)
    options = {
        "domain": [(ALL, "All domains"), *plain_options(domains)],
        "sex": [(ALL, "All"), *plain_options(sexes)],
        "period": [(ALL, "Latest for each indicator"), *[(label, label) for _, label in periods]],
    }
    labels = {"domain": "Domain", "sex": "Sex", "period": "Period"}
    return [
        Filter(name, labels[name], choices, choose(params, name, choices))
        for name, choices in options.items()
    ]


def chosen_rows(rows: list[dict], indicators: dict, wanted: dict) -> list[dict]:
    """One row per series (indicator, sex, age): the chosen period, else the latest."""
    chosen = {}
    for row in rows:  # oldest first, so later periods replace earlier ones
        if wanted["domain"] and indicators[row["indicator_id"]].domain != wanted["domain"]:
            continue
        if wanted["sex"] and row["sex"] != wanted["sex"]:
            continue
        if wanted["period"] and row["period"] != wanted["period"]:
            continue
        if row["value"] is not None:
            chosen[queries.series_key(row)] = row
    return list(chosen.values())


class Spread(NamedTuple):
    """England's spread of upper-tier authority values at one point."""

    low: float
    q25: float
    q75: float
    high: float


def spread_of(values) -> Spread | None:
    """Lowest, 25th and 75th percentiles and highest in one numpy pass; None for 3 values or
    fewer (too few for percentiles)."""
    if len(values) <= 3:
        return None
    return Spread(*(float(number) for number in np.percentile(values, [0, 25, 75, 100])))


def spine_positions(value, england, region, spread: Spread | None, polarity: str) -> dict:
    """Positions from -1 to 1 on a scale centred on England whose half-width is the larger
    distance from England to the lowest or highest authority; the worst side on the left
    (for "low is good" the highest value is on the left)."""
    if england is None or spread is None:
        return {}
    half = max(abs(england - spread.low), abs(england - spread.high))
    if half == 0:
        return {}
    sign = -1 if polarity == Polarity.LOW_IS_GOOD else 1

    def place(number):
        return None if number is None else round(sign * (number - england) / half, 4)

    edges = sorted(place(number) for number in spread)
    return dict(zip(("worst", "q25", "q75", "best"), edges)) | {
        "area": place(value),
        "region": place(region),
    }


def _extremes(spread: Spread | None, polarity: str) -> dict:
    if spread is None:
        return {}
    low, q25, q75, high = spread
    worst, best = (high, low) if polarity == Polarity.LOW_IS_GOOD else (low, high)
    return {"worst": worst, "q25": q25, "q75": q75, "best": best}


def _profile_row(row, indicator, england_value, region_value, spread, trend_url: str) -> dict:
    extremes = {
        key: rounded(number) for key, number in _extremes(spread, indicator.polarity).items()
    }
    trend_query = urlencode({"indicator": indicator.code, "sex": row["sex"], "age": row["age"]})
    return {
        "domain": indicator.domain,
        "indicator": indicator.code,
        "name": indicator.name,
        "period": row["period"],
        "sex": row["sex"],
        "age": row["age"],
        "count": rounded(row["count"], 0),
        "value": rounded(row["value"]),
        "unit": indicator.unit,
        "england": rounded(england_value),
        "region": rounded(region_value),
        "compared_to_england": stored_comparison(row),
        "recent_trend": trend_label(row),
        **extremes,
        "trend_url": trend_url + "?" + trend_query,
        "definition_url": definition_url(indicator.code),
        "spine": spine_positions(
            row["value"], england_value, region_value, spread, indicator.polarity
        ),
        "synthetic": indicator.is_synthetic,
        "decimals": decimals(indicator),
    }


def _spine_chart(domain: str, index: int, rows: list[dict], area: Area):
    """The domain's spine chart, of the rows that can be placed on one (None if none can:
    a spine needs England's value and more than 3 authorities' values)."""
    rows = [row for row in rows if row["spine"]]
    if not rows:
        return None
    points = []
    for row in rows:
        label = f"{row['name']} ({row['sex']}, {row['age']})"
        points.append(
            {
                "label": label if len(label) <= 70 else label[:67] + "...",
                **row["spine"],
                "period": row["period"],
                "value": row["value"],
                "england": row["england"],
                "region_value": row["region"],
                "significance": row["compared_to_england"],
            }
        )
    counts = {}
    for row in rows:
        counts[row["compared_to_england"]] = counts.get(row["compared_to_england"], 0) + 1
    summary = ", ".join(f"{label.lower()}: {count}" for label, count in sorted(counts.items()))
    description = (
        f"Spine chart of {len(rows)} {domain.lower()} indicators for {area.name}. Each row is "
        "centred on England's value; grey bands run from the worst upper-tier authority to "
        "the 25th percentile, 25th to 75th, and 75th to the best (worst on the left). The circle "
        "is the area, coloured by comparison with England; the diamond is the region. "
        f"Compared with England: {summary}. The table below gives every figure."
    )
    return outcome_charts.spine(f"spine-{index}", f"{domain}: {area.name}", description, points)


def build(area: Area, params) -> OutcomePage:
    rows = queries.area_values(area.code)
    indicators = queries.indicators_by_code({row["indicator_id"] for row in rows})
    filters = profile_filters(rows, indicators, params)
    chosen = chosen_rows(rows, indicators, {f.name: f.selected for f in filters})
    region_code = region.code if (region := area.region()) else None
    codes = [ENGLAND_CODE, *([region_code] if region_code else [])]
    by_area, spreads = queries.point_values(chosen, codes)
    trend_url = reverse("web:outcome", args=[area.code, "trends"])
    table_rows = []
    for row in chosen:
        point = queries.point_key(row)
        table_rows.append(
            _profile_row(
                row,
                indicators[row["indicator_id"]],
                by_area.get((point, ENGLAND_CODE)),
                by_area.get((point, region_code)),
                spread_of(spreads.get(point, ())),
                trend_url,
            )
        )
    table_rows.sort(key=lambda r: (r["domain"], r["name"], r["sex"], r["age"]))
    return _page(area, table_rows, filters)


def _page(area: Area, table_rows: list[dict], filters: list[Filter]) -> OutcomePage:
    table = DataTable(
        "indicators",
        f"Indicators for {area.name}",
        COLUMNS,
        table_rows,
        {"name": "trend_url", "indicator": "definition_url"},
        DECIMALS,
    )
    domains = {}
    for row in table_rows:
        domains.setdefault(row["domain"], []).append(row)
    chosen = {item.name: item.selected for item in filters}
    sections = []
    for index, (domain, rows) in enumerate(domains.items()):
        sections.append(
            {
                "domain": domain,
                "chart": _spine_chart(domain, index, rows, area),
                "table": DataTable(
                    table.name,
                    f"{domain}: {area.name}",
                    COLUMNS[1:],
                    rows,
                    table.links,
                    DECIMALS,
                ),
                "synthetic": any(row["synthetic"] for row in rows),
                "query": urlencode({**chosen, "domain": domain}),
            }
        )
    return OutcomePage(
        title=f"Health profile: {area.name}",
        template="web/profile.html",
        tables=[table],
        filters=filters,
        context={"sections": sections},
        synthetic=any(section["synthetic"] for section in sections),
    )
