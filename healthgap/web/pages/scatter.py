"""Compare indicators: two indicators (or deprivation) across areas as a scatter plot, with
Pearson's and Spearman's correlation, the area highlighted, and the figures as a table."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from healthgap.areas.models import IMD, UPPER_TIER_TYPES, Area, Deprivation
from healthgap.constants import ENGLAND_CODE
from healthgap.indicators import queries
from healthgap.methods.correlation import correlation
from healthgap.web import outcome_charts
from healthgap.web.formats import DataTable, NotFound
from healthgap.web.pages.common import Filter, OutcomePage, authority_groups, choose, rounded

DEPRIVATION = "imd-2019"
DEPRIVATION_NAME = "Deprivation: IMD 2019 average score (higher is more deprived)"
DEFAULT_Y = ("108", "93721")


@dataclass
class Axis:
    """One variable of the scatter: its label, and each area's value at its chosen point."""

    code: str
    label: str
    values: dict[str, float]


def _deprivation_axis() -> Axis:
    scores = Deprivation.objects.filter(domain=IMD, year=2019, score__isnull=False)
    values = dict(scores.values_list("area_id", "score"))
    return Axis(DEPRIVATION, DEPRIVATION_NAME, values)


def _indicator_axis(code: str, names: dict[str, str]) -> Axis:
    """The indicator's latest whole-population point with upper-tier values, persons first."""
    points = queries.indicator_points(code, [ENGLAND_CODE])
    point = next((p for p in points if p[1] == "Persons"), points[0] if points else None)
    if point is None:
        return Axis(code, names[code], {})
    rows = queries.values_at([(code, *point)], area_types=UPPER_TIER_TYPES)
    values = {row["area_id"]: row["value"] for row in rows if row["value"] is not None}
    period, sex, age = point
    return Axis(code, f"{names[code]} ({sex}, {age}), {period}", values)


def _axis(code: str, names: dict[str, str]) -> Axis:
    return _deprivation_axis() if code == DEPRIVATION else _indicator_axis(code, names)


def _options() -> list[tuple[str, str]]:
    upper_tier = Area.objects.upper_tier().values_list("code", flat=True)
    indicators = queries.indicators_with_data(list(upper_tier))
    return [(DEPRIVATION, DEPRIVATION_NAME)] + [(i.code, i.name) for i in indicators]


def _filters(area: Area, params) -> list[Filter]:
    options = _options()
    codes = {code for code, _ in options}
    default_y = next((code for code in DEFAULT_Y if code in codes), options[-1][0])
    groups = [(key, label) for key, (label, _) in authority_groups(area).items()]
    derived = frozenset({DEPRIVATION})
    x_chosen = choose(params, "x_indicator", options, DEPRIVATION)
    y_chosen = choose(params, "y_indicator", options, default_y)
    return [
        Filter("x_indicator", "X axis", options, x_chosen, without_definition=derived),
        Filter("y_indicator", "Y axis", options, y_chosen, without_definition=derived),
        Filter("group", "Areas", groups, choose(params, "group", groups, "england")),
    ]


def _rows(members: list[Area], x: Axis, y: Axis, area: Area) -> list[dict]:
    rows = [
        {
            "name": member.name,
            "code": member.code,
            "x": rounded(x.values[member.code], 2),
            "y": rounded(y.values[member.code], 2),
            "highlight": member.code == area.code,
        }
        for member in members
        if member.code in x.values and member.code in y.values
    ]
    return sorted(rows, key=lambda row: row["name"])


def _summary(rows: list[dict]) -> dict:
    frame = pd.DataFrame({"x": [r["x"] for r in rows], "y": [r["y"] for r in rows]}, dtype=float)
    result = correlation(frame, "x", "y").iloc[0]
    return {
        "pairs": int(result["pairs"]),
        "pearson": rounded(result["value"], 2),
        "lower": rounded(result["lowercl"], 2),
        "upper": rounded(result["uppercl"], 2),
        "p_value": None if pd.isna(result["p_value"]) else float(result["p_value"]),
        "spearman": rounded(result["spearman"], 2),
    }


def build(area: Area, params) -> OutcomePage:
    filters = _filters(area, params)
    x_code, y_code, group = (item.selected for item in filters)
    names = dict(filters[0].options)
    x, y = _axis(x_code, names), _axis(y_code, names)
    group_label, members = authority_groups(area)[group]
    rows = _rows(members, x, y, area)
    if not rows:
        raise NotFound("No area has values for both of these indicators.")
    summary = _summary(rows)
    title = f"{y.label} against {x.label}: {group_label}"
    columns = [("name", "Area"), ("code", "Code"), ("x", x.label), ("y", y.label)]
    description = (
        f"{len(rows)} areas ({group_label}), each a point at its {x.label} (across) and "
        f"{y.label} (up); {area.name} is the large black point; the dashed line is the "
        f"least-squares fit. Pearson's r = {summary['pearson']}. The table below gives every "
        "figure."
    )
    chart = outcome_charts.scatter(
        "scatter-chart", title, description, rows, x_title=x.label, y_title=y.label
    )
    return OutcomePage(
        title=f"Compare indicators: {area.name}",
        template="web/scatter.html",
        tables=[DataTable("areas", title, columns, rows, decimals={"x": 1, "y": 1})],
        charts={"scatter": chart},
        filters=filters,
        context={"summary": summary, "x": x.label, "y": y.label, "group": group_label},
    )
