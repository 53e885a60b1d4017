"""Segment-style charts for the closing-the-gap pages: horizontal bars by age band or cause,
one bar per series (men, women; or one series), with interval whiskers where given."""

from __future__ import annotations

from healthgap.web.charts import GOVUK_BLACK, GOVUK_BLUE, Chart, base_spec, by_width
from healthgap.web.outcome_charts import LEGEND, only, whiskers

SERIES_COLOURS = {"Male": "#1d70b8", "Female": "#d53880", "Persons": GOVUK_BLUE}
BAR_STEP = 14


def gap_bars(
    element_id: str,
    title: str,
    description: str,
    rows: list[dict],
    *,
    category_title: str,
    value_title: str,
) -> Chart:
    """Bars for each ``category`` (in ``order``), one per ``series``; positive values are the
    categories that widen the gap. ``rows`` carry category, order, series, value, lower,
    upper."""
    series = list(dict.fromkeys(row["series"] for row in rows))
    y = {
        "field": "category",
        "type": "nominal",
        "title": category_title,
        "sort": {"field": "order", "order": "ascending"},
        "axis": {"labelLimit": by_width(110, 260)},
    }
    colour = {
        "field": "series",
        "type": "nominal",
        "title": None,
        "scale": {"domain": series, "range": [SERIES_COLOURS.get(s, GOVUK_BLUE) for s in series]},
        "legend": LEGEND if len(series) > 1 else None,
    }
    tooltip = [
        {"field": "category", "title": category_title},
        {"field": "series", "title": "Group"},
        {"field": "value", "title": value_title, "format": ".2f"},
    ]
    offset = {"yOffset": {"field": "series", "sort": series}} if len(series) > 1 else {}
    bars = {
        "mark": {"type": "bar"},
        "encoding": {
            "y": y,
            "x": {"field": "value", "type": "quantitative", "title": value_title},
            "color": colour,
            "tooltip": tooltip,
            **offset,
        },
    }
    zero = {
        "mark": {"type": "rule", "color": GOVUK_BLACK, "aria": False},
        "encoding": {"x": {"datum": 0}},
    }
    # Whiskers would fall between grouped bars: with several series the table gives the limits.
    limits = whiskers(rows, "x", y) if len(series) == 1 else []
    layers = [bars, *limits, zero]
    spec = base_spec(row_step=BAR_STEP * max(1, len(series)))
    spec.update(
        {
            "data": {"values": only(rows, "category", "order", "series", "value", "lower",
                                    "upper")},
            "layer": layers,
        }
    )  # fmt: skip
    return Chart(element_id, title, description, spec)
