"""Vega-Lite specifications for the outcome pages: spine charts, ranked bars with intervals,
trends, maps by category, and the slope index of inequality. Rows come from the pages' tables,
so each chart draws exactly what its download holds."""

from __future__ import annotations

from healthgap.constants import NOT_COMPARED
from healthgap.web.charts import GOVUK_BLACK, GOVUK_BLUE, Chart, base_spec, by_width

LIGHT_GREY = "#c9c9c9"
MID_GREY = "#8b8b8b"
ROW_HEIGHT = 18
# Legends above the chart: one row on a wide screen, one entry per line on a phone.
LEGEND = {
    "orient": "top",
    "titleLimit": by_width(300, 600),
    "labelLimit": by_width(140, 300),
    "columns": by_width(1, 0),
}
# Fingertips' benchmark colours (with the GOV.UK palette's darker shades for 99.8%).
SIGNIFICANCE_COLOURS = {
    "Better 99.8%": "#00703c",
    "Better 95%": "#92d050",
    "Better": "#92d050",
    "Similar": "#ffc000",
    "Worse 95%": "#ff6f6f",
    "Worse": "#c00000",
    "Worse 99.8%": "#c00000",
    "Lower 99.8%": "#3d3d9e",
    "Lower 95%": "#5555e6",
    "Lower": "#5555e6",
    "Higher 95%": "#bed2ff",
    "Higher": "#bed2ff",
    "Higher 99.8%": "#8fb1ff",
    NOT_COMPARED: "#e0e0e0",
}


def colour_scale(labels) -> dict:
    """A Vega-Lite colour scale for the significance labels present, in legend order."""
    present = set(labels)
    domain = [label for label in SIGNIFICANCE_COLOURS if label in present]
    return {"domain": domain, "range": [SIGNIFICANCE_COLOURS[label] for label in domain]}


def whiskers(rows: list[dict], axis: str, position: dict, **extra) -> list[dict]:
    """A layer of interval whiskers from ``lower`` to ``upper`` along ``axis`` ("x" or "y"),
    or none when no row has limits."""
    if not any(row.get("lower") is not None for row in rows):
        return []
    other = "y" if axis == "x" else "x"
    return [
        {
            **extra,
            "mark": {"type": "rule", "color": GOVUK_BLACK},
            "encoding": {
                other: position,
                axis: {"field": "lower", "type": "quantitative"},
                f"{axis}2": {"field": "upper"},
            },
        }
    ]


def only(rows: list[dict], *names: str) -> list[dict]:
    """The rows with just the fields a chart draws or shows, so that its spec stays small."""
    return [{name: row.get(name) for name in names} for row in rows]


def row_labels(field: str, **axis) -> dict:
    """An axis of names (areas, indicators) in the rows' own order, untitled: the names say
    what they are."""
    return {"field": field, "type": "nominal", "sort": None, "title": None, "axis": axis}


def _tooltip(*fields: tuple[str, str]) -> list[dict]:
    return [{"field": name, "title": title} for name, title in fields]


def spine(element_id: str, title: str, description: str, rows: list[dict]) -> Chart:
    """One row per indicator on a common scale centred on England: bands from the worst
    authority to the 25th percentile, 25th to 75th and 75th to the best, the area's value as a
    circle coloured by significance and the region as a diamond.

    ``rows`` carry label, order, worst, q25, q75, best, area and region positions (-1 to 1,
    worst on the left), significance and the tooltip texts.
    """
    spec = base_spec(row_step=30)
    y = row_labels("label", labelLimit=by_width(150, 360))
    tooltip = _tooltip(
        ("label", "Indicator"),
        ("period", "Period"),
        ("value", "Value"),
        ("england", "England"),
        ("region_value", "Region"),
        ("significance", "Compared with England"),
    )
    significance = sorted({row["significance"] for row in rows})
    england = {
        "mark": {"type": "rule", "aria": False, "color": GOVUK_BLACK},
        "encoding": {"x": {"datum": 0}},
    }
    layers = [
        *_spine_bands(y),
        england,
        _spine_region(y, tooltip),
        _spine_area(y, tooltip, significance),
    ]
    spec.update({"data": {"values": rows}, "layer": layers})
    return Chart(element_id, title, description, spec)


def _spine_bands(y: dict) -> list[dict]:
    """The grey bands: worst to the 25th percentile, 25th to 75th, 75th to the best."""
    x_scale = {"domain": [-1.05, 1.05], "nice": False}
    ranges = (("worst", "q25", LIGHT_GREY), ("q25", "q75", MID_GREY), ("q75", "best", LIGHT_GREY))
    return [
        {
            "mark": {"type": "bar", "color": colour, "height": 16},
            "encoding": {
                "y": y,
                "x": {"field": start, "type": "quantitative", "scale": x_scale, "axis": None},
                "x2": {"field": end},
            },
        }
        for start, end, colour in ranges
    ]


def _spine_region(y: dict, tooltip: list[dict]) -> dict:
    """The region's value: a white diamond."""
    return {
        "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 90, "aria": False},
        "encoding": {
            "y": y,
            "x": {"field": "region", "type": "quantitative"},
            "color": {"value": "white"},
            "stroke": {"value": GOVUK_BLACK},
            "tooltip": tooltip,
        },
    }


def _spine_area(y: dict, tooltip: list[dict], significance: list[str]) -> dict:
    """The area's value: a circle coloured by its significance against England."""
    return {
        "mark": {"type": "circle", "size": 160, "stroke": GOVUK_BLACK},
        "encoding": {
            "y": y,
            "x": {"field": "area", "type": "quantitative"},
            "color": {
                "field": "significance",
                "type": "nominal",
                "title": "Compared with England",
                "scale": colour_scale(significance),
                "legend": LEGEND,
            },
            "tooltip": tooltip,
        },
    }


def ranked_bars(
    element_id: str,
    title: str,
    description: str,
    rows: list[dict],
    *,
    value_title: str,
    colour_title: str,
    scale: dict,
    benchmark: float | None = None,
    benchmark_label: str = "",
) -> Chart:
    """Horizontal bars in ``order`` with 95% (or 99.8%) interval whiskers, coloured by
    ``colour`` (a significance or quartile label), the row with ``highlight`` outlined, and a
    benchmark line.

    ``rows`` carry name, order, value, lower, upper, colour and highlight.
    """
    spec = base_spec(row_step=ROW_HEIGHT)
    y = row_labels("name", labelLimit=by_width(110, 260))
    colour = {
        "field": "colour",
        "type": "nominal",
        "title": colour_title,
        "scale": scale,
        "legend": LEGEND,
    }
    layers = [_ranked_bar(y, value_title, colour), *whiskers(rows, "x", y)]
    if benchmark is not None:
        layers.append(_benchmark_rule(benchmark, benchmark_label))
    values = only(rows, "name", "value", "lower", "upper", "colour", "highlight")
    spec.update({"data": {"values": values}, "layer": layers})
    return Chart(element_id, title, description, spec)


def _ranked_bar(y: dict, value_title: str, colour: dict) -> dict:
    """The bars, the highlighted row outlined."""
    tooltip = _tooltip(
        ("name", "Area"),
        ("value", value_title),
        ("lower", "Lower limit"),
        ("upper", "Upper limit"),
        ("colour", colour["title"]),
    )
    return {
        "mark": {"type": "bar", "height": ROW_HEIGHT - 4},
        "encoding": {
            "y": y,
            "x": {"field": "value", "type": "quantitative", "title": value_title},
            "color": colour,
            "stroke": {"condition": {"test": "datum.highlight", "value": GOVUK_BLACK}},
            "strokeWidth": {"condition": {"test": "datum.highlight", "value": 3}, "value": 0},
            "tooltip": tooltip,
        },
    }


def _benchmark_rule(benchmark: float, label: str) -> dict:
    """A dashed line across the bars at the benchmark's value."""
    return {
        "mark": {"type": "rule", "aria": False, "color": GOVUK_BLACK, "strokeDash": [6, 3],
                 "size": 2},
        "encoding": {"x": {"datum": benchmark}, "tooltip": {"value": f"{label}: {benchmark}"}},
    }  # fmt: skip


def trend(
    element_id: str, title: str, description: str, rows: list[dict], *, value_title: str
) -> Chart:
    """An indicator over time: the area's values with interval whiskers, its points coloured by
    comparison with England, and England and the region as dashed lines.

    ``rows`` carry period, order, series, is_area, value, lower, upper, significance.
    """
    spec = base_spec(height=340)
    x = {"field": "period", "type": "ordinal", "sort": None, "title": "Period"}
    y = {"field": "value", "type": "quantitative", "title": value_title, "scale": {"zero": False}}
    area_only = {"filter": "datum.is_area"}
    tooltip = _tooltip(
        ("series", "Area"),
        ("period", "Period"),
        ("value", value_title),
        ("lower", "Lower 95% limit"),
        ("upper", "Upper 95% limit"),
        ("significance", "Compared with England"),
    )
    labels = {row["significance"] for row in rows if row["is_area"]}
    spec.update(
        {
            "data": {"values": rows},
            "layer": [
                {
                    "mark": {"type": "line", "point": False},
                    "encoding": {
                        "x": x,
                        "y": y,
                        "color": {"field": "series", "type": "nominal", "title": "Area",
                                  "scale": {"range": [GOVUK_BLUE, GOVUK_BLACK, "#6f777b"]},
                                  "legend": LEGEND},
                        "strokeDash": {"field": "is_area", "type": "nominal", "legend": None,
                                       "scale": {"domain": [True, False],
                                                 "range": [[1, 0], [6, 3]]}},
                    },
                },
                *whiskers([r for r in rows if r["is_area"]], "y", x, transform=[area_only]),
                {
                    "transform": [area_only],
                    "mark": {"type": "circle", "size": 120, "stroke": GOVUK_BLACK, "opacity": 1},
                    "encoding": {
                        "x": x,
                        "y": y,
                        "color": {"field": "significance", "type": "nominal",
                                  "title": "Compared with England",
                                  "scale": colour_scale(labels), "legend": LEGEND},
                        "tooltip": tooltip,
                    },
                },
            ],
            "resolve": {"scale": {"color": "independent"}},
        }
    )  # fmt: skip
    return Chart(element_id, title, description, spec)


def category_map(
    element_id: str,
    title: str,
    description: str,
    features: list[dict],
    *,
    category_title: str,
    scale: dict,
    tooltip: list[tuple[str, str]],
) -> Chart:
    """Areas coloured by a category (significance or quintile); the area chosen in the page's
    keyboard-operable list (signal ``focus``) is outlined."""
    spec = base_spec(height=460)
    focused = "datum.properties.code === focus"
    spec.update(
        {
            "params": [{"name": "focus", "value": ""}],
            "data": {
                "values": {"type": "FeatureCollection", "features": features},
                "format": {"type": "json", "property": "features"},
            },
            "projection": {"type": "mercator"},
            "mark": {"type": "geoshape", "stroke": GOVUK_BLACK},
            "encoding": {
                "color": {
                    "field": "properties.category",
                    "type": "nominal",
                    "title": category_title,
                    "scale": scale,
                    "legend": LEGEND,
                },
                "strokeWidth": {"condition": {"test": focused, "value": 4}, "value": 0.4},
                "order": {"condition": {"test": focused, "value": 1}, "value": 0},
                "tooltip": [
                    {"field": f"properties.{name}", "title": label} for name, label in tooltip
                ],
            },
        }
    )
    return Chart(element_id, title, description, spec)


def slope_index(
    element_id: str,
    title: str,
    description: str,
    rows: list[dict],
    line: list[dict],
    *,
    value_title: str,
) -> Chart:
    """Values by deprivation decile placed at their population midpoint (0 = most deprived,
    1 = least), with interval whiskers and the fitted slope index of inequality line.

    ``rows`` carry decile, position, value, lower, upper; ``line`` two points (position, value).
    """
    spec = base_spec(height=340)
    x = {
        "field": "position",
        "type": "quantitative",
        "title": ["Position on the deprivation scale", "(0 = most deprived, 1 = least deprived)"],
        "scale": {"domain": [0, 1]},
    }
    y = {"field": "value", "type": "quantitative", "title": value_title, "scale": {"zero": False}}
    spec.update(
        {
            "layer": [
                *whiskers(rows, "y", x, data={"values": rows}),
                {
                    "data": {"values": rows},
                    "mark": {"type": "circle", "size": 120, "color": GOVUK_BLUE, "opacity": 1},
                    "encoding": {
                        "x": x,
                        "y": y,
                        "tooltip": _tooltip(("decile", "Decile"), ("value", value_title),
                                            ("lower", "Lower 95% limit"),
                                            ("upper", "Upper 95% limit")),
                    },
                },
                {
                    "data": {"values": line},
                    "mark": {"type": "line", "color": "#d4351c", "strokeWidth": 3},
                    "encoding": {"x": x, "y": y},
                },
            ]
        }
    )  # fmt: skip
    return Chart(element_id, title, description, spec)


def route(
    element_id: str,
    title: str,
    description: str,
    rows: list[dict],
    *,
    value_title: str,
    benchmark: float | None,
    scale: dict,
    compared_with: str = "Compared with the city",
) -> Chart:
    """The "bus route": a value at each stop (ward) along a line across the city, points
    coloured by comparison with the city (``compared_with`` names the benchmark), and the
    benchmark's value as a dashed line.

    ``rows`` carry name, order, value, lower, upper, colour.
    """
    spec = base_spec(height=360)
    x = row_labels("name", labelAngle=-40, labelLimit=160)
    y = {"field": "value", "type": "quantitative", "title": value_title, "scale": {"zero": False}}
    layers = [
        {"mark": {"type": "line", "color": MID_GREY, "strokeWidth": 4},
         "encoding": {"x": x, "y": y}},
        *whiskers(rows, "y", x),
        {"mark": {"type": "circle", "size": 220, "stroke": GOVUK_BLACK, "opacity": 1},
         "encoding": {"x": x, "y": y,
                      "color": {"field": "colour", "type": "nominal", "scale": scale,
                                "title": compared_with, "legend": LEGEND},
                      "tooltip": _tooltip(("name", "Ward"), ("value", value_title),
                                          ("lower", "Lower 95% limit"),
                                          ("upper", "Upper 95% limit"),
                                          ("colour", compared_with))}},
    ]  # fmt: skip
    if benchmark is not None:
        layers.append(
            {
                "mark": {"type": "rule", "aria": False, "color": GOVUK_BLACK, "strokeDash": [6, 3]},
                "encoding": {"y": {"datum": benchmark}},
            }
        )
    values = only(rows, "name", "value", "lower", "upper", "colour")
    spec.update({"data": {"values": values}, "layer": layers})
    return Chart(element_id, title, description, spec)


def scatter(
    element_id: str,
    title: str,
    description: str,
    rows: list[dict],
    *,
    x_title: str,
    y_title: str,
) -> Chart:
    """One point per area at (x, y) with a least-squares line; the row with ``highlight`` drawn
    larger, in black. ``rows`` carry name, x, y and highlight."""
    spec = base_spec(height=420)
    x = {"field": "x", "type": "quantitative", "title": x_title, "scale": {"zero": False}}
    y = {"field": "y", "type": "quantitative", "title": y_title, "scale": {"zero": False}}
    tooltip = _tooltip(("name", "Area"), ("x", x_title), ("y", y_title))
    spec.update(
        {
            "data": {"values": only(rows, "name", "x", "y", "highlight")},
            "encoding": {"x": x, "y": y},
            "layer": [
                {
                    "mark": {"type": "circle", "opacity": 0.8},
                    "encoding": {
                        "color": {
                            "condition": {"test": "datum.highlight", "value": GOVUK_BLACK},
                            "value": GOVUK_BLUE,
                        },
                        "size": {
                            "condition": {"test": "datum.highlight", "value": 220},
                            "value": 60,
                        },
                        "tooltip": tooltip,
                    },
                },
                {
                    "transform": [{"regression": "y", "on": "x"}],
                    "mark": {
                        "type": "line",
                        "color": MID_GREY,
                        "strokeDash": [6, 4],
                        "aria": False,
                    },
                },
                {
                    "transform": [{"filter": "datum.highlight"}],
                    "mark": {"type": "text", "align": "left", "dx": 10, "fontWeight": "bold"},
                    "encoding": {"text": {"field": "name"}},
                },
            ],
        }
    )
    return Chart(element_id, title, description, spec)


def box_plots(
    element_id: str,
    title: str,
    description: str,
    rows: list[dict],
    *,
    value_title: str,
    area_name: str,
) -> Chart:
    """One box per period, as Fingertips draws them: whiskers from the 5th to the 95th
    percentile of the authorities, a box from the 25th to the 75th percentile with a line at the
    median, the area as a black circle and England as a white diamond.

    ``rows`` carry period, low, p5, q25, median, q75, p95, high, area and england.
    """
    spec = base_spec(height=360)
    x = {"field": "period", "type": "ordinal", "sort": None, "title": "Period"}
    tooltip = _tooltip(
        ("period", "Period"),
        ("high", "Highest"),
        ("p95", "95th percentile"),
        ("q75", "75th percentile"),
        ("median", "Median"),
        ("q25", "25th percentile"),
        ("p5", "5th percentile"),
        ("low", "Lowest"),
        ("area", area_name),
        ("england", "England"),
    )
    layers = [
        *_boxes(x, value_title, tooltip),
        _box_marker(x, tooltip, "england", "diamond", "white"),
        _box_marker(x, tooltip, "area", "circle", GOVUK_BLACK),
    ]
    spec.update({"data": {"values": rows}, "layer": layers})
    return Chart(element_id, title, description, spec)


def _boxes(x: dict, value_title: str, tooltip: list[dict]) -> list[dict]:
    """The whiskers (5th to 95th percentile), boxes (25th to 75th) and median lines."""
    y_title = {"title": value_title, "scale": {"zero": False}}
    return [
        {
            "mark": {"type": "rule", "color": GOVUK_BLACK},
            "encoding": {
                "x": x,
                "y": {"field": "p5", "type": "quantitative", **y_title},
                "y2": {"field": "p95"},
            },
        },
        {
            "mark": {"type": "bar", "size": 28, "color": LIGHT_GREY, "stroke": GOVUK_BLACK},
            "encoding": {
                "x": x,
                "y": {"field": "q25", "type": "quantitative"},
                "y2": {"field": "q75"},
                "tooltip": tooltip,
            },
        },
        {
            "mark": {"type": "tick", "size": 28, "thickness": 2, "color": GOVUK_BLACK},
            "encoding": {"x": x, "y": {"field": "median", "type": "quantitative"}},
        },
    ]


def _box_marker(x: dict, tooltip: list[dict], field: str, shape: str, fill: str) -> dict:
    return {
        "mark": {"type": "point", "shape": shape, "filled": True, "size": 110},
        "encoding": {
            "x": x,
            "y": {"field": field, "type": "quantitative"},
            "color": {"value": fill},
            "stroke": {"value": GOVUK_BLACK},
            "tooltip": tooltip,
        },
    }
