"""Vega-Lite specifications for the GP practice pages: funnel plots (each point a link to its
practice) and growth against a cluster (ratio of rate ratios with limits)."""

from __future__ import annotations

import math

from healthgap.web.charts import GOVUK_BLACK, Chart, base_spec
from healthgap.web.outcome_charts import (
    LEGEND,
    MID_GREY,
    _tooltip,
    colour_scale,
    only,
    row_labels,
)

FUNNEL_LINES = {
    "99.8% limits": [1, 0],
    "95% limits": [6, 4],
    "Average": [2, 2],
}


def funnel(
    element_id: str,
    title: str,
    description: str,
    points: list[dict],
    lines: list[dict],
    *,
    x_title: str,
    y_title: str,
) -> Chart:
    """Practices as points (x, y) coloured by ``significance``, each linking to ``url``, over
    the control limits: ``lines`` carry x, y, line ("95% limits" ...) and side."""
    spec = base_spec(height=420)
    x = {"field": "x", "type": "quantitative", "title": x_title}
    y = {"field": "y", "type": "quantitative", "title": y_title, "scale": _points_domain(points)}
    dash = {
        "field": "line",
        "type": "nominal",
        "title": "Control limits",
        "legend": LEGEND,
        "scale": {"domain": list(FUNNEL_LINES), "range": list(FUNNEL_LINES.values())},
    }
    spec["layer"] = [
        {
            "data": {"values": only(lines, "x", "y", "line", "side")},
            # Limits for the smallest lists reach far beyond the points: drawn within the frame.
            "mark": {"type": "line", "color": MID_GREY, "aria": False, "clip": True},
            "encoding": {"x": x, "y": y, "strokeDash": dash, "detail": {"field": "side"}},
        },
        _funnel_points(points, x, y),
    ]
    return Chart(element_id, title, description, spec)


def _funnel_points(points: list[dict], x: dict, y: dict) -> dict:
    """The practices: circles coloured by significance, each a link to its practice."""
    return {
        "data": {"values": only(points, "x", "y", "name", "code", "significance", "url")},
        "mark": {
            "type": "circle",
            "size": 70,
            "opacity": 0.9,
            "stroke": GOVUK_BLACK,
            "strokeWidth": 0.5,
            "cursor": "pointer",
        },
        "encoding": {
            "x": x,
            "y": y,
            "href": {"field": "url"},
            "color": {
                "field": "significance",
                "type": "nominal",
                "title": "Compared with the average",
                "scale": colour_scale(p["significance"] for p in points),
                "legend": LEGEND,
            },
            "tooltip": _tooltip(
                ("name", "Practice"),
                ("code", "Code"),
                ("x", x["title"]),
                ("y", y["title"]),
                ("significance", "Compared with the average"),
            ),
        },
    }


def _points_domain(points: list[dict]) -> dict:
    """The y scale spans the practices (with a margin), not the limits of the smallest lists."""
    ys = [p["y"] for p in points if p["y"] is not None and math.isfinite(p["y"])]
    if not ys:
        return {"zero": False}
    margin = (max(ys) - min(ys)) * 0.15 or 1
    return {"zero": False, "domain": [min(ys) - margin, max(ys) + margin]}


def growth(element_id: str, title: str, description: str, rows: list[dict]) -> Chart:
    """Each practice's growth relative to its cluster (ratio of rate ratios) with its 95%
    interval, largest first, and a line at 1 (the same growth as the cluster)."""
    spec = base_spec(row_step=16)
    y = row_labels("name", labelLimit=220)
    x = {
        "field": "value",
        "type": "quantitative",
        "title": "Growth relative to the cluster (ratio of rate ratios)",
        "scale": {"zero": False},
    }
    spec["data"] = {"values": only(rows, "name", "value", "lower", "upper", "significance", "url")}
    spec["layer"] = [
        {
            "mark": {"type": "rule", "color": GOVUK_BLACK},
            "encoding": {
                "y": y,
                "x": {"field": "lower", "type": "quantitative"},
                "x2": {"field": "upper"},
            },
        },
        {
            "mark": {"type": "circle", "size": 90, "opacity": 1, "stroke": GOVUK_BLACK},
            "encoding": {
                "y": y,
                "x": x,
                "href": {"field": "url"},
                "color": {
                    "field": "significance",
                    "type": "nominal",
                    "title": "Compared with the cluster",
                    "legend": LEGEND,
                    "scale": colour_scale(r["significance"] for r in rows),
                },
                "tooltip": _tooltip(
                    ("name", "Practice"),
                    ("value", "Ratio of rate ratios"),
                    ("lower", "Lower 95% limit"),
                    ("upper", "Upper 95% limit"),
                    ("significance", "Compared with the cluster"),
                ),
            },
        },
        {
            "mark": {"type": "rule", "aria": False, "color": GOVUK_BLACK, "strokeDash": [6, 3]},
            "encoding": {"x": {"datum": 1}},
        },
    ]
    return Chart(element_id, title, description, spec)


def point_map(
    element_id: str,
    title: str,
    description: str,
    features: list[dict],
    points: list[dict],
    *,
    size_title: str,
) -> Chart:
    """Practices as points (``lon``, ``lat``) over the outlines of the areas around them,
    coloured by ``significance``, sized by ``size`` and each linking to its ``url``."""
    spec = base_spec(height=460)
    spec["projection"] = {"type": "mercator"}
    spec["layer"] = [
        {
            "data": {
                "values": {"type": "FeatureCollection", "features": features},
                "format": {"type": "json", "property": "features"},
            },
            "mark": {
                "type": "geoshape",
                "fill": "#f3f2f1",
                "stroke": MID_GREY,
                "strokeWidth": 0.6,
                "aria": False,
            },
        },
        {
            "data": {
                "values": only(points, "lon", "lat", "name", "code", "significance", "size", "url")
            },
            "mark": {"type": "circle", "opacity": 0.85, "stroke": GOVUK_BLACK, "cursor": "pointer"},
            "encoding": {
                "longitude": {"field": "lon", "type": "quantitative"},
                "latitude": {"field": "lat", "type": "quantitative"},
                "href": {"field": "url"},
                "size": {
                    "field": "size",
                    "type": "quantitative",
                    "title": size_title,
                    "legend": LEGEND,
                },
                "color": {
                    "field": "significance",
                    "type": "nominal",
                    "title": "Compared with expected",
                    "scale": colour_scale(p["significance"] for p in points),
                    "legend": LEGEND,
                },
                "tooltip": _tooltip(
                    ("name", "Practice"),
                    ("code", "Code"),
                    ("size", size_title),
                    ("significance", "Compared with expected"),
                ),
            },
        },
    ]
    return Chart(element_id, title, description, spec)
