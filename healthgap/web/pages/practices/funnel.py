"""The funnel plot of the area's practices for any practice indicator (a percentage or a crude
rate), with control limits around their average, optionally adjusted for overdispersion."""

from __future__ import annotations

import numpy as np
import pandas as pd

from healthgap.areas.models import Area
from healthgap.indicators.models import Indicator, Polarity, ValueType
from healthgap.methods import funnel_limits, funnel_significance
from healthgap.practices import queries
from healthgap.web import practice_charts
from healthgap.web.charts import Chart
from healthgap.web.formats import DataTable
from healthgap.web.pages.common import Filter, OutcomePage, choose, rounded
from healthgap.web.pages.practices.common import (
    DEFAULT_INDICATOR,
    area_practices,
    default_option,
    indicator_filters,
    limit_points,
    multiplier,
    no_practices_page,
    practice_url,
    synthetic_text,
)

TITLE = "GP practices: funnel plot"
TEMPLATE = "web/practice_funnel.html"
OVERDISPERSION = [("no", "No"), ("yes", "Yes: Spiegelhalter's random-effects adjustment")]
# funnel_significance's labels in the five-level words of the other pages (and their colours).
FUNNEL_WORDS = {
    "High (0.001)": "Higher 99.8%",
    "High (0.025)": "Higher 95%",
    "Low (0.025)": "Lower 95%",
    "Low (0.001)": "Lower 99.8%",
    "Not significant": "Similar",
}
JUDGED = {
    Polarity.HIGH_IS_GOOD: {"Higher": "Better", "Lower": "Worse"},
    Polarity.LOW_IS_GOOD: {"Higher": "Worse", "Lower": "Better"},
}


def build(area: Area, params) -> OutcomePage:
    practices, names = area_practices(area)
    if not practices:
        return no_practices_page(TITLE, TEMPLATE, area)
    codes = list(names)
    indicators = [
        i
        for i in queries.practice_indicators(codes)
        if i.value_type in (ValueType.PROPORTION, ValueType.CRUDE_RATE)
    ]
    options = [(i.code, i.name) for i in indicators]
    filters, code, period = indicator_filters(
        params, codes, options, default_option(options, DEFAULT_INDICATOR)
    )
    overdispersed = choose(params, "overdispersion", OVERDISPERSION, "no")
    filters.append(
        Filter("overdispersion", "Adjust for overdispersion", OVERDISPERSION, overdispersed)
    )
    indicator = next(i for i in indicators if i.code == code)
    frame = queries.practice_values(code, period, codes).dropna(subset=["count", "denominator"])
    frame = frame[frame["denominator"] > 0].reset_index(drop=True)
    result, lines, dispersion = _funnel_figures(frame, indicator, overdispersed == "yes")
    rows = _funnel_rows(result, lines, names, indicator)
    return OutcomePage(
        f"{TITLE}: {indicator.name}",
        TEMPLATE,
        _funnel_tables(rows, indicator, period, area, dispersion is not None),
        charts={"funnel": _funnel_chart(rows, lines, indicator, period, area)},
        filters=filters,
        context={
            "dispersion": dispersion,
            "outliers": [row for row in rows if row["significance"] != "Similar"],
            "average": rounded(lines[0]["average"] if lines else None, 2),
            "synthetic_text": synthetic_text(indicator),
        },
        synthetic=indicator.is_synthetic,
    )


def _funnel_chart(rows, lines, indicator: Indicator, period: str, area: Area) -> Chart:
    return practice_charts.funnel(
        "practice-funnel",
        f"{indicator.name}, {period}: {len(rows)} practices, {area.name}",
        "Each circle is a practice (select it to open its profile), placed by its number of "
        "patients and its value; the lines are the 95% and 99.8% control limits around the "
        "average of these practices. A practice outside them differs by more than chance. The "
        "tables below hold the same figures.",
        [{**row, "x": row["denominator"], "y": row["value"]} for row in rows],
        lines,
        x_title="Patients (denominator)",
        y_title=f"{indicator.name} ({indicator.unit})",
    )


def _words(label: str, indicator: Indicator) -> str:
    words = FUNNEL_WORDS[label]
    direction, _, level = words.partition(" ")
    judged = JUDGED.get(indicator.polarity, {}).get(direction, direction)
    return f"{judged} {level}".strip()


def _funnel_figures(frame: pd.DataFrame, indicator: Indicator, overdispersed: bool):
    """Each practice's significance, the limit lines to draw, and phi and tau2 if asked."""
    per = multiplier(indicator)
    if indicator.value_type == ValueType.PROPORTION:
        kwargs = {"statistic": "proportion"}
    else:
        frame = frame.assign(rate=frame["count"] / frame["denominator"] * per)
        kwargs = {"statistic": "rate", "rate": "rate", "rate_type": "crude"}
    significance = funnel_significance(
        frame,
        "count",
        "denominator",
        multiplier=per,
        overdispersion=overdispersed,
        **kwargs,
    )
    years = {"years_of_data": 1} if kwargs["statistic"] == "rate" else {}
    limits = funnel_limits(
        frame,
        "count",
        "denominator",
        multiplier=per,
        overdispersion=overdispersed,
        **kwargs,
        **years,
    )
    lines = _limit_lines(limits, kwargs["statistic"])
    dispersion = None
    if overdispersed:
        dispersion = {
            "phi": rounded(limits["phi"].iat[0], 3),
            "tau2": float(limits["tau2"].iat[0]),
            "adjusted": bool(limits["tau2"].iat[0] > 0),
        }
    return significance, lines, dispersion


def _limit_lines(limits: pd.DataFrame, statistic: str) -> list[dict]:
    """The limits as (x = patients, y) points per line and side; the average as a line too."""
    average = float(limits["baseline"].iat[0])

    def x_column(name: str, side: str) -> str:
        # Proportion limits are given per population; rate limits per number of events, with
        # the population at which each limit is reached.
        return "Population" if statistic == "proportion" else f"{side}_{name}_population_1_year"

    lines = [{**point, "average": average} for point in limit_points(limits, x_column, 3)]
    xs = [line["x"] for line in lines]
    if xs:
        for x in (min(xs), max(xs)):
            lines.append(
                {"x": x, "y": average, "line": "Average", "side": "average", "average": average}
            )
    return lines


def _limit_at(lines: list[dict], label: str, side: str, x: float) -> float | None:
    curve = sorted(
        (line["x"], line["y"]) for line in lines if (line["line"], line["side"]) == (label, side)
    )
    if not curve:
        return None
    xs, ys = zip(*curve)
    return float(np.interp(x, xs, ys))


def _funnel_rows(result: pd.DataFrame, lines, names, indicator) -> list[dict]:
    rows = []
    for record in result.to_dict("records"):
        code, size = record["area_id"], record["denominator"]
        row = {
            "code": code,
            "name": names[code],
            "url": practice_url(code),
            "value": rounded(record["value"], 2),
            "count": rounded(record["count"], 0),
            "denominator": rounded(size, 0),
            "significance": _words(str(record["significance"]), indicator),
            "limit_low_95": rounded(_limit_at(lines, "95% limits", "lower", size), 2),
            "limit_high_95": rounded(_limit_at(lines, "95% limits", "upper", size), 2),
            "limit_low_998": rounded(_limit_at(lines, "99.8% limits", "lower", size), 2),
            "limit_high_998": rounded(_limit_at(lines, "99.8% limits", "upper", size), 2),
        }
        if "z_adjusted" in record:
            row["z_score"] = rounded(record["z_score"], 2)
            row["z_adjusted"] = rounded(record["z_adjusted"], 2)
        rows.append(row)
    return sorted(rows, key=lambda row: row["name"])


def _funnel_tables(rows, indicator, period, area, overdispersed) -> list[DataTable]:
    columns = [
        ("name", "Practice"),
        ("code", "Code"),
        ("value", f"Value ({indicator.unit})"),
        ("count", "Count"),
        ("denominator", "Denominator"),
        ("limit_low_998", "Lower 99.8% control limit at this size"),
        ("limit_low_95", "Lower 95% control limit at this size"),
        ("limit_high_95", "Upper 95% control limit at this size"),
        ("limit_high_998", "Upper 99.8% control limit at this size"),
    ]
    if overdispersed:
        columns += [("z_score", "z-score"), ("z_adjusted", "z-score adjusted for overdispersion")]
    columns.append(("significance", "Compared with the average"))
    links = {"name": "url"}
    outliers = [row for row in rows if row["significance"] != "Similar"]
    title = f"{indicator.name}, {period}, GP practices of {area.name}"
    return [
        DataTable("outliers", f"Outliers: {title}", columns, outliers, links),
        DataTable("practices", title, columns, rows, links),
    ]
