"""England and region view: the area against England and its region for every indicator of a
domain, with each comparison's significance (95% and 99.8%, Fingertips' five levels)."""

from __future__ import annotations

from healthgap.areas.models import Area
from healthgap.constants import ENGLAND_CODE
from healthgap.indicators import queries
from healthgap.web.formats import DataTable
from healthgap.web.indicator_pages import definition_url
from healthgap.web.pages.common import OutcomePage, decimals, rounded, stored_comparison
from healthgap.web.pages.profile import chosen_rows, profile_filters

COLUMNS = [
    ("domain", "Domain"),
    ("name", "Indicator"),
    ("period", "Period"),
    ("sex", "Sex"),
    ("age", "Age"),
    ("value", "Value"),
    ("lower95", "Lower 95% limit"),
    ("upper95", "Upper 95% limit"),
    ("unit", "Unit"),
    ("region", "Region"),
    ("compared_to_region", "Compared with region"),
    ("england", "England"),
    ("compared_to_england", "Compared with England"),
]
FIGURES = ("value", "lower95", "upper95", "region", "england")


def _row(row: dict, indicator, england, region) -> dict:
    return {
        "domain": indicator.domain,
        "indicator": indicator.code,
        "name": indicator.name,
        "definition_url": definition_url(indicator.code),
        "period": row["period"],
        "sex": row["sex"],
        "age": row["age"],
        "value": rounded(row["value"]),
        "lower95": rounded(row["lower95"]),
        "upper95": rounded(row["upper95"]),
        "unit": indicator.unit,
        "region": rounded(region),
        "compared_to_region": stored_comparison(row, "region"),
        "england": rounded(england),
        "compared_to_england": stored_comparison(row),
        "decimals": decimals(indicator),
    }


def build(area: Area, params) -> OutcomePage:
    rows = queries.area_values(area.code)
    indicators = queries.indicators_by_code({row["indicator_id"] for row in rows})
    filters = profile_filters(rows, indicators, params)
    chosen = chosen_rows(rows, indicators, {f.name: f.selected for f in filters})
    region = area.region()
    codes = [ENGLAND_CODE, *([region.code] if region else [])]
    by_area, _ = queries.point_values(chosen, codes)
    table_rows = []
    for row in chosen:
        point = queries.point_key(row)
        england = by_area.get((point, ENGLAND_CODE))
        regional = by_area.get((point, region.code)) if region else None
        table_rows.append(_row(row, indicators[row["indicator_id"]], england, regional))
    table_rows.sort(key=lambda r: (r["domain"], r["name"], r["sex"], r["age"]))
    region_name = region.name if region else "no region"
    table = DataTable(
        "indicators",
        f"{area.name} compared with {region_name} and England",
        COLUMNS,
        table_rows,
        links={"name": "definition_url"},
        decimals=dict.fromkeys(FIGURES, "decimals"),
    )
    return OutcomePage(
        title=f"England and region: {area.name}",
        template="web/benchmarks.html",
        tables=[table],
        filters=filters,
        context={"region": region},
        synthetic=any(indicators[row["indicator_id"]].is_synthetic for row in chosen),
    )
