"""A place's indicator figures as they may be published (issue 17): they are sums of its areas'
counts that healthgap computes, so they pass through disclosure control
(``indicators.disclosure.controlled_rows``: counts 1-7 suppressed, others rounded with the value
and limits worked out from the rounded count; the sexes and breakdowns of one indicator checked
together), on the public page and in the API alike. Signed-in analysts see them as computed,
marked as such."""

from __future__ import annotations

import pandas as pd

from healthgap.indicators.disclosure import controlled_rows, unsuppressed_rows
from healthgap.indicators.models import Indicator
from healthgap.places.models import Place
from healthgap.places.profile import PlaceFigures

BREAKDOWN = ("period", "sex", "age", "category_type", "category")


def records(frame: pd.DataFrame) -> list[dict]:
    """A frame's rows as dicts with None for missing figures."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _indicator_rows(place: Place, figures: PlaceFigures) -> list[dict]:
    """The recomputed indicators in the shape of ``queries.value_rows`` (the place as the
    area)."""
    if "value" not in figures.indicators:
        return []
    return [
        {
            "indicator_id": record["indicator_id"],
            "area_id": f"place {place.pk}",
            **{key: record[key] for key in BREAKDOWN},
            "name": record["name"],
            "unit": record["unit"],
            "areas_with_figure": int(record["areas"]),
            "members": int(record["members"]),
            "count": record["count"],
            "denominator": record["denominator"],
            "value": record["value"],
            "lower95": record["lowercl"],
            "upper95": record["uppercl"],
            "lower998": None,
            "upper998": None,
            "value_note": "",
        }
        for record in records(figures.indicators)
    ]


def published_indicators(place: Place, figures: PlaceFigures, unsuppressed: bool) -> list[dict]:
    """The place's indicator figures under disclosure control, indicator by indicator (or as
    computed, marked, when ``unsuppressed``)."""
    rows = _indicator_rows(place, figures)
    if unsuppressed:
        return unsuppressed_rows(rows)
    kinds = Indicator.objects.in_bulk({row["indicator_id"] for row in rows})
    shown = []
    for code in sorted(kinds):
        shown += controlled_rows(
            kinds[code].value_type, [row for row in rows if row["indicator_id"] == code]
        )
    return shown
