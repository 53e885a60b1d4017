"""What the GP practice pages share: the area's practices, the indicator and period filters,
the funnel's limit lines, and the words shown over synthetic and example data."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
from django.urls import reverse

from healthgap.areas.models import Area
from healthgap.indicators.models import Indicator, ValueType
from healthgap.practices import queries
from healthgap.web.formats import DataTable
from healthgap.web.pages.common import Filter, OutcomePage, choose, plain_options

DEFAULT_INDICATOR = "qof_HYP"
SYNTHETIC_TEXT = (
    "NHS Health Check uptake and admissions by practice are not published openly: the demo "
    "generates them with a fixed seed over the real QOF 2022-23 list sizes. They show how the "
    "page works; they are not real."
)
EXAMPLE = "example"
EXAMPLE_LISTS_TEXT = (
    "NHS Digital publishes practices' lists by sex and five-year age band, but the demo's open "
    "files hold only all-ages lists: the demo splits each practice's real list by the age and "
    "sex of the population around it (fixed seed), as an example. Expected registers worked "
    "out over these example lists show how the page works; they are not real."
)
LIMIT_LINES = (("2s", "95% limits"), ("3s", "99.8% limits"))


def practice_url(code: str) -> str:
    return reverse("web:practice", args=[code])


def area_practices(area: Area) -> tuple[list, dict[str, str]]:
    """The area's practices, and their names by code."""
    practices = queries.practices_of(area)
    return practices, {p.area_id: p.area.name for p in practices}


def no_practices_page(title: str, template: str, area: Area) -> OutcomePage:
    table = DataTable("practices", f"GP practices, {area.name}", [("name", "Practice")], [])
    return OutcomePage(title, template, [table], context={"no_practices": True})


def default_option(options: list[tuple[str, str]], preferred: str) -> str:
    return preferred if preferred in dict(options) else options[0][0]


def indicator_filters(params, codes, options, default) -> tuple[list[Filter], str, str]:
    indicator = choose(params, "indicator", options, default)
    periods = queries.indicator_periods(indicator, codes)
    period = choose(params, "period", plain_options(periods), periods[-1] if periods else "")
    filters = [
        Filter("indicator", "Indicator", options, indicator),
        Filter("period", "Period", plain_options(periods), period),
    ]
    return filters, indicator, period


def multiplier(indicator: Indicator) -> float:
    """100 for percentages; the "per 1,000" of a rate's unit; 100,000 by default."""
    if indicator.value_type == ValueType.PROPORTION:
        return 100.0
    found = re.search(r"per ([\d,]+)", indicator.unit or "")
    return float(found.group(1).replace(",", "")) if found else 100_000.0


def synthetic_text(indicator: Indicator) -> str:
    return SYNTHETIC_TEXT if indicator.is_synthetic else ""


def limit_points(
    limits: pd.DataFrame, x_column: Callable[[str, str], str], places: int
) -> list[dict]:
    """The funnel's 95% and 99.8% limits as (x, y) points per line and side; ``x_column``
    names the column of x for a limit (2s or 3s) and side (lower or upper)."""
    points = []
    for name, label in LIMIT_LINES:
        for side in ("lower", "upper"):
            for x, y in zip(limits[x_column(name, side)], limits[f"{side}_{name}_limit"]):
                if np.isfinite(x) and np.isfinite(y) and x > 0:
                    points.append(
                        {"x": round(float(x), 1), "y": round(float(y), places), "line": label,
                         "side": side}
                    )  # fmt: skip
    return points
