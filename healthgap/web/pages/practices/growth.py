"""Admissions growth: each practice's (or network's, or board's) growth in an admission rate
between two periods against the growth of the rest of its cluster."""

from __future__ import annotations

import pandas as pd

from healthgap.areas.models import Area
from healthgap.indicators.models import Indicator, ValueType
from healthgap.practices import queries
from healthgap.web import practice_charts
from healthgap.web.charts import Chart
from healthgap.web.formats import DataTable
from healthgap.web.pages.common import Filter, OutcomePage, choose, plain_options, rounded
from healthgap.web.pages.practices.common import (
    area_practices,
    default_option,
    multiplier,
    no_practices_page,
    synthetic_text,
)
from healthgap.web.pages.practices.growth_units import (
    GROWTH_LEVELS,
    LEVEL_WORDS,
    PRACTICE_LEVEL,
    GrowthUnits,
    growth_against_cluster,
    growth_units,
)

TITLE = "GP practices: admissions growth"
TEMPLATE = "web/admissions_growth.html"
DEFAULT_GROWTH = "SYN-GP-ELECTIVE"


def build(area: Area, params) -> OutcomePage:
    practices, names = area_practices(area)
    codes = list(names)
    rates = _growth_indicators(codes) if practices else []
    if not rates:
        return no_practices_page(TITLE, TEMPLATE, area)
    filters = _growth_filters(params, codes, rates)
    code, first, last, level = (item.selected for item in filters)
    indicator = next(i for i in rates if i.code == code)
    units = growth_units(level, (code, first, last), names, area)
    result, cluster_growth = growth_against_cluster(units.frame)
    rows = _growth_rows(result, units, multiplier(indicator))
    summary = _growth_summary(rows, cluster_growth, indicator, units)
    return OutcomePage(
        f"{TITLE}: {indicator.name}",
        TEMPLATE,
        [_growth_table(indicator, first, last, units, rows)],
        charts={"growth": _growth_chart(rows, indicator, first, last, units)},
        filters=filters,
        context={"summary": summary, "synthetic_text": synthetic_text(indicator)},
        synthetic=indicator.is_synthetic,
    )


def _growth_indicators(codes: list[str]) -> list[Indicator]:
    """The crude rates held for these practices over more than one period."""
    return [
        i
        for i in queries.practice_indicators(codes)
        if i.value_type == ValueType.CRUDE_RATE
        and len(queries.indicator_periods(i.code, codes)) > 1
    ]


def _growth_filters(params, codes: list[str], rates: list[Indicator]) -> list[Filter]:
    """The admissions, the two periods and the level compared, in that order."""
    options = [(i.code, i.name) for i in rates]
    code = choose(params, "indicator", options, default_option(options, DEFAULT_GROWTH))
    periods = plain_options(queries.indicator_periods(code, codes))
    return [
        Filter("indicator", "Admissions", options, code),
        Filter("from", "From", periods, choose(params, "from", periods, periods[0][0])),
        Filter("to", "To", periods, choose(params, "to", periods, periods[-1][0])),
        Filter("level", "Compare", GROWTH_LEVELS,
               choose(params, "level", GROWTH_LEVELS, PRACTICE_LEVEL)),
    ]  # fmt: skip


def _growth_chart(rows, indicator: Indicator, first: str, last: str, units) -> Chart:
    singular, _ = LEVEL_WORDS[units.level]
    return practice_charts.growth(
        "admissions-growth",
        f"{indicator.name}: growth from {first} to {last} against the rest of the cluster",
        f"Each {singular.lower()}'s growth in its admission rate relative to the growth of the "
        f"rest of {units.cluster} (1 = the same growth), with its 95% interval; select one to "
        "open its page.",
        [
            {**row, "lower": row["lower95"], "upper": row["upper95"], "value": row["ratio"]}
            for row in rows
        ],
    )


def _growth_table(indicator: Indicator, first: str, last: str, units: GrowthUnits, rows):
    singular, plural = LEVEL_WORDS[units.level]
    return DataTable(
        "growth",
        f"{indicator.name}: growth {first} to {last}, {plural} of {units.cluster}",
        [
            ("name", singular),
            ("code", "Code"),
            ("before", f"Admissions {first}"),
            ("after", f"Admissions {last}"),
            ("rate_before", f"Rate {first} ({indicator.unit})"),
            ("rate_after", f"Rate {last} ({indicator.unit})"),
            ("growth", "Growth (%)"),
            ("reference_growth", "Growth of the rest of the cluster (%)"),
            ("ratio", "Ratio of rate ratios"),
            ("lower95", "Lower 95% limit"),
            ("upper95", "Upper 95% limit"),
            ("lower998", "Lower 99.8% limit"),
            ("upper998", "Upper 99.8% limit"),
            ("significance", "Compared with the cluster"),
            ("sentence", "In words"),
        ],
        rows,
        {"name": "url"},
    )


def _growth_rows(result: pd.DataFrame, units: GrowthUnits, per: float) -> list[dict]:
    rows = []
    for record in result.sort_values("value", ascending=False).to_dict("records"):
        code = record["area_id"]
        rows.append(
            {
                "code": code,
                "name": units.names[code],
                "url": units.urls[code],
                "before": rounded(record["count_1"], 0),
                "after": rounded(record["count_2"], 0),
                "rate_before": rounded(per * record["count_1"] / record["denominator_1"], 1),
                "rate_after": rounded(per * record["count_2"] / record["denominator_2"], 1),
                "growth": rounded(record["growth"], 1),
                "reference_growth": rounded(record["reference_growth"], 1),
                "ratio": rounded(record["value"], 3),
                "lower95": rounded(record["lower95_0cl"], 3),
                "upper95": rounded(record["upper95_0cl"], 3),
                "lower998": rounded(record["lower99_8cl"], 3),
                "upper998": rounded(record["upper99_8cl"], 3),
                "significance": record["significance"],
            }
        )
    return rows


def _growth_summary(rows, cluster_growth: float, indicator: Indicator, units) -> dict:
    for row in rows:
        row["sentence"] = (
            f"{'grew' if row['growth'] >= 0 else 'fell'} {abs(row['growth']):.1f}% against a "
            f"cluster average of {cluster_growth:.1f}%"
            if row["growth"] is not None
            else "Not calculated"
        )
    faster = [row for row in rows if row["significance"].startswith("Higher")]
    own = next((row for row in rows if row["code"] == units.own), None)
    singular, plural = LEVEL_WORDS[units.level]
    return {
        "cluster_growth": round(cluster_growth, 1),
        "units": len(rows),
        "unit_words": plural if len(rows) != 1 else singular.lower(),
        "faster": faster,
        "lead": own or (faster[0] if faster else (rows[0] if rows else None)),
        "name": indicator.name.replace(" (synthetic)", "").lower(),
        "cluster": units.cluster,
    }
