"""Vega-Lite specifications for the delivery plan: a measure against its trajectory, and its
XmR chart. The site draws them with Vega-Embed; the board report renders the same specs to
static SVG with vl-convert."""

from __future__ import annotations

import math

from healthgap.web.charts import GOVUK_BLACK, GOVUK_BLUE, Chart, base_spec
from healthgap.web.outcome_charts import whiskers

EXPECTED_COLOUR = "#505a5f"
LIMIT_COLOUR = "#d4351c"


def _number(figure):
    """JSON has no NaN: missing figures become null."""
    if figure is None or (isinstance(figure, float) and math.isnan(figure)):
        return None
    return float(figure)


def trajectory_chart(element_id: str, title: str, progress, *, value_title: str) -> Chart:
    """The measure's values with their 95% intervals, and the trajectory's expected values."""
    values = [
        {
            "date": point["period_end"].isoformat(),
            "period": point["period"],
            "value": _number(point["value"]),
            "lower": _number(point["lower"]),
            "upper": _number(point["upper"]),
        }
        for point in progress.points
    ]
    expected = [
        {"date": point["due"].isoformat(), "expected": point["expected"]}
        for point in progress.trajectory
    ]
    x = {"field": "date", "type": "temporal", "title": "End of period"}
    y = {"field": "value", "type": "quantitative", "title": value_title, "scale": {"zero": False}}
    spec = base_spec(height=300)
    spec["layer"] = [
        {
            "data": {"values": expected},
            "mark": {"type": "line", "strokeDash": [6, 3], "color": EXPECTED_COLOUR,
                     "point": {"color": EXPECTED_COLOUR}},
            "encoding": {"x": x, "y": {**y, "field": "expected"},
                         "tooltip": [{"field": "date", "type": "temporal", "title": "Due"},
                                     {"field": "expected", "title": "Expected"}]},
        },
        *[{"data": {"values": values}, **layer} for layer in whiskers(values, "y", x)],
        {
            "data": {"values": values},
            "mark": {"type": "line", "color": GOVUK_BLUE, "point": {"color": GOVUK_BLUE,
                                                                   "size": 70}},
            "encoding": {"x": x, "y": y,
                         "tooltip": [{"field": "period", "title": "Period"},
                                     {"field": "value", "title": value_title},
                                     {"field": "lower", "title": "Lower 95% limit"},
                                     {"field": "upper", "title": "Upper 95% limit"}]},
        },
    ]  # fmt: skip
    description = (
        f"{title}: the values (blue, with 95% confidence intervals) against the trajectory's "
        "expected values (grey dashed line). " + progress.verdict.words
    )
    return Chart(element_id, title, description, spec)


def spc_chart(element_id: str, title: str, progress, *, value_title: str) -> Chart:
    """An XmR chart: values, mean, process limits and the target."""
    rows = [
        {
            "date": row["period_end"].isoformat(),
            "value": _number(row["value"]),
            "centre": _number(row["centre"]),
            "lower": _number(row["lower_process_limit"]),
            "upper": _number(row["upper_process_limit"]),
            "target": _number(row.get("target")),
            "variation": row["variation"],
        }
        for row in progress.spc_rows
    ]
    x = {"field": "date", "type": "temporal", "title": "End of period"}

    def line(field: str, colour: str, dash=None) -> dict:
        mark = {"type": "line", "color": colour, **({"strokeDash": dash} if dash else {})}
        return {"mark": mark, "encoding": {"x": x, "y": {"field": field, "type": "quantitative"}}}

    spec = base_spec(height=300)
    spec["data"] = {"values": rows}
    spec["layer"] = [
        line("upper", LIMIT_COLOUR, [4, 4]),
        line("lower", LIMIT_COLOUR, [4, 4]),
        line("centre", GOVUK_BLACK),
        line("target", EXPECTED_COLOUR, [8, 4]),
        {
            "mark": {"type": "line", "color": GOVUK_BLUE, "point": {"size": 60}},
            "encoding": {"x": x, "y": {"field": "value", "type": "quantitative",
                                       "title": value_title, "scale": {"zero": False}},
                         "tooltip": [{"field": "date", "type": "temporal", "title": "Period end"},
                                     {"field": "value", "title": value_title},
                                     {"field": "variation", "title": "Variation"}]},
        },
    ]  # fmt: skip
    description = (
        f"{title}: XmR chart of the values (blue) with the mean (black), process limits (red "
        f"dashed) and target (grey dashed). {progress.spc_words}"
    )
    return Chart(element_id, title, description, spec)


def measure_charts(progress) -> list[Chart]:
    """The measure's trajectory chart, and its XmR chart for a long enough series."""
    measure = progress.measure
    unit = measure.indicator.unit or "Value"
    charts = []
    if progress.points:
        charts.append(
            trajectory_chart(f"trajectory-{measure.pk}", f"{measure.indicator.name}: progress "
                             "against the trajectory", progress, value_title=unit)
        )  # fmt: skip
    if progress.spc_rows:
        charts.append(
            spc_chart(f"spc-{measure.pk}", f"{measure.indicator.name}: statistical process "
                      "control chart", progress, value_title=unit)
        )  # fmt: skip
    return charts
