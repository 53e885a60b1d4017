"""Vega-Lite specifications for the site's charts, built from plain rows in Python."""

from __future__ import annotations

from dataclasses import dataclass, field

# GOV.UK Design System colours, so charts match the page and keep their contrast.
GOVUK_BLUE = "#1d70b8"
GOVUK_BLACK = "#0b0c0c"
FONT = "Helvetica Neue, Helvetica, Arial, sans-serif"


NARROW = "containerSize()[0] < 600"  # a phone's width: shorter labels, legends in columns


def by_width(narrow, wide) -> dict:
    """A Vega expression: ``narrow`` in a container under 600px wide (a phone), else ``wide``."""
    return {"expr": f"{NARROW} ? {narrow} : {wide}"}


@dataclass
class Chart:
    element_id: str
    title: str
    description: str
    spec: dict = field(repr=False)

    @property
    def spec_element_id(self) -> str:
        return f"{self.element_id}-spec"


def base_spec(width="container", height=300, *, row_step: int | None = None) -> dict:
    """The common frame: full container width and either a fixed height or, with ``row_step``,
    a height that grows by that many pixels per row (so legends never squeeze short charts)."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": width,
        "height": {"step": row_step} if row_step else height,
        "autosize": {"type": "fit-x" if row_step else "fit", "contains": "padding"},
        "config": {
            "font": FONT,
            "axis": {"labelFontSize": 13, "titleFontSize": 14, "labelColor": GOVUK_BLACK},
            "legend": {"labelFontSize": 13, "titleFontSize": 14},
            "view": {"stroke": None},
        },
    }


def choropleth(
    element_id: str,
    title: str,
    description: str,
    features: list[dict],
    value_field: str,
    value_title: str,
    tooltip: list[tuple[str, str, str]],
    *,
    reverse_colours: bool = False,
    scheme: str = "purples",
) -> Chart:
    """A map of areas shaded by one property of each GeoJSON feature.

    ``tooltip`` lists (property, title, type) with type "nominal" or "quantitative".
    """
    spec = base_spec(height=420)
    spec.update(
        {
            "data": {
                "values": {"type": "FeatureCollection", "features": features},
                "format": {"type": "json", "property": "features"},
            },
            "projection": {"type": "mercator"},
            "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 1},
            "encoding": {
                "color": {
                    "field": f"properties.{value_field}",
                    "type": "quantitative",
                    "title": value_title,
                    "scale": {"scheme": scheme, "reverse": reverse_colours},
                },
                "tooltip": [
                    {"field": f"properties.{name}", "title": label, "type": kind}
                    for name, label, kind in tooltip
                ],
            },
        }
    )
    return Chart(element_id, title, description, spec)


def population_by_age(element_id: str, area_name: str, rows: list[dict]) -> Chart:
    """Share of the population in each age band, the area as bars and England as ticks.

    ``rows`` carry ``band``, ``order``, ``area_percent`` and ``england_percent``.
    """
    spec = base_spec(height=380)
    y = {
        "field": "band",
        "type": "ordinal",
        "title": "Age band",
        "sort": {"field": "order", "order": "descending"},
    }
    spec.update(
        {
            "data": {"values": rows},
            "layer": [
                {
                    "mark": {"type": "bar", "color": GOVUK_BLUE},
                    "encoding": {
                        "y": y,
                        "x": {
                            "field": "area_percent",
                            "type": "quantitative",
                            "title": "Percentage of the population",
                            "axis": {"tickCount": 6, "format": ".0f"},
                        },
                        "tooltip": [
                            {"field": "band", "title": "Age band"},
                            {"field": "area_percent", "title": area_name, "format": ".1f"},
                            {"field": "england_percent", "title": "England", "format": ".1f"},
                        ],
                    },
                },
                {
                    "mark": {"type": "tick", "color": GOVUK_BLACK, "thickness": 3},
                    "encoding": {
                        "y": y,
                        "x": {"field": "england_percent", "type": "quantitative"},
                    },
                },
            ],
        }
    )
    description = (
        f"Bars show the percentage of {area_name}'s population in each five-year age band; "
        "black marks show England's percentage for comparison."
    )
    return Chart(element_id, f"Population by age, {area_name}", description, spec)


MALE_COLOUR, FEMALE_COLOUR = "#12436d", "#f46a25"  # ONS/GSS palette: dark blue, orange


def population_pyramid(element_id: str, area_name: str, year: int, rows: list[dict]) -> Chart:
    """An area's population pyramid (see :func:`age_sex_pyramid`)."""
    description = (
        f"Population pyramid of {area_name}, mid-{year}: bars to the left are males and to the "
        "right females in each five-year age band, as a percentage of the whole population. "
        "The table below gives the counts."
    )
    title = f"Population by age and sex, {area_name}, mid-{year}"
    return age_sex_pyramid(element_id, title, description, rows)


def age_sex_pyramid(
    element_id: str, title: str, description: str, rows: list[dict], whole: str = "population"
) -> Chart:
    """Males to the left and females to the right of a shared age axis, as percentages of the
    ``whole`` (population, list). ``rows`` carry band, order, male_percent and female_percent."""
    spec = base_spec(height=380)
    bars = []
    for row in rows:
        bars.append(
            {
                "band": row["band"],
                "order": row["order"],
                "sex": "Males",
                "percent": -row["male_percent"],
                "share": row["male_percent"],
            }
        )
        bars.append({"band": row["band"], "order": row["order"], "sex": "Females",
                     "percent": row["female_percent"], "share": row["female_percent"]})  # fmt: skip
    spec.update(
        {
            "data": {"values": bars},
            "mark": {"type": "bar"},
            "encoding": {
                "y": {
                    "field": "band",
                    "type": "ordinal",
                    "title": "Age band",
                    "sort": {"field": "order", "order": "descending"},
                },
                "x": {
                    "field": "percent",
                    "type": "quantitative",
                    "title": f"Percentage of the {whole} (males left, females right)",
                    "axis": {"labelExpr": "abs(datum.value)", "tickCount": 6},
                },
                "color": {
                    "field": "sex",
                    "type": "nominal",
                    "title": "Sex",
                    "scale": {
                        "domain": ["Males", "Females"],
                        "range": [MALE_COLOUR, FEMALE_COLOUR],
                    },
                    "legend": {"orient": "top"},
                },  # fmt: skip
                "tooltip": [
                    {"field": "band", "title": "Age band"},
                    {"field": "sex", "title": "Sex"},
                    {"field": "share", "title": f"% of {whole}", "format": ".1f"},
                ],
            },
        }
    )
    return Chart(element_id, title, description, spec)
