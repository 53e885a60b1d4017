"""A place's indicator figures as they may be published (issue 17): they are sums of its areas'
counts that healthgap computes, so they pass through disclosure control
(``indicators.disclosure.controlled_rows`` under the indicator's rule: by default counts 1-7
suppressed, others rounded to 5 with the value and limits worked out from the rounded count; the
sexes and breakdowns of one indicator checked together), on the public page and in the API alike.
Signed-in analysts see them as computed, marked as such.

A place is also a total of its member areas, whose figures are published too: an indicator
under control is checked together with every published value of it, the place's figures being
the sum of its members' (secondary suppression), and the members keeping the state they are
published in, so that a suppressed ward is never the place less its shown wards.

Its death rate and life expectancy come from record-level deaths: with 1-7 deaths a figure is
withheld, with fewer than 10 a DSR too, and where rounding the deaths changes them the DSR is
worked out again from the rounded count; a life expectancy keeps its limits, which cannot give
back a count (``methods.from_rounded_count``)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from healthgap.indicators.disclosure import (
    UNSUPPRESSED_NOTE,
    cell_id,
    controlled_rows,
    disclosed_rows,
    indicator_rows,
    unsuppressed_rows,
)
from healthgap.indicators.models import Indicator
from healthgap.methods import disclose, from_rounded_count
from healthgap.methods.disclosure import SHOWN_AS_SUPPRESSED
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
        own = [row for row in rows if row["indicator_id"] == code]
        if kinds[code].needs_disclosure_control:
            shown += _against_members(kinds[code], own, place.area_codes)
        else:  # the members' figures are public as they are: nothing of theirs to protect
            shown += controlled_rows(
                kinds[code].value_type, own, rule=kinds[code].disclosure_rule()
            )
    return shown


def _against_members(indicator: Indicator, own: list[dict], members: list[str]) -> list[dict]:
    """The place's rows of a controlled indicator, checked with all its published values:
    each place figure is the total of its members' for the same breakdown."""
    every_value = indicator_rows(indicator)
    published = disclosed_rows(indicator, every_value)
    states = {cell_id(row): row["suppressed"] for row in published}
    member_cells = {cell_id({**row, "area_id": ""}): [] for row in own}
    for row in published:
        if row["area_id"] in members:
            key = cell_id({**row, "area_id": ""})
            if key in member_cells:
                member_cells[key].append(cell_id(row))
    totals = [(cell_id(row), member_cells[cell_id({**row, "area_id": ""})]) for row in own]
    shown = controlled_rows(
        indicator.value_type,
        own + every_value,
        totals,
        published=states,
        rule=indicator.disclosure_rule(),
    )
    return shown[: len(own)]


def published_mortality(figures: PlaceFigures, unsuppressed: bool) -> PlaceFigures:
    """The figures with the place's (and a route's stops') death rate and life expectancy as
    they may be published, or as computed and marked when ``unsuppressed``."""
    return replace(
        figures,
        mortality=_controlled_mortality(figures.mortality, unsuppressed),
        stops=_controlled_mortality(figures.stops, unsuppressed),
    )


def _controlled_mortality(frame: pd.DataFrame, unsuppressed: bool) -> pd.DataFrame:
    """Each figure withheld, refigured or kept by the deaths behind it; ``disclosure`` says
    which."""
    if frame.empty:
        return frame
    if unsuppressed:
        return frame.assign(disclosure=UNSUPPRESSED_NOTE)
    cells = frame.reset_index(drop=True).assign(id=lambda f: f.index, level="local")
    shown = disclose(cells, count="deaths", value_type="value_type")
    parts = []
    for kind, part in shown.groupby("value_type", sort=False):
        again = from_rounded_count(part, kind, count="deaths")
        parts.append(again.assign(disclosure=_reasons(again)))
    out = pd.concat(parts).sort_index()
    hidden = out["value_shown"].isna().to_numpy()
    out.loc[hidden, ["value", "lowercl", "uppercl"]] = np.nan
    return out.drop(columns=["id", "level", "count_shown", "value_shown", "note", "refigured"])


def _reasons(figures: pd.DataFrame) -> list[str]:
    """What the public is told of each figure's control."""
    return [
        f"{SHOWN_AS_SUPPRESSED} suppressed ({reason})" if suppressed else (reason or refigured)
        for suppressed, reason, refigured in zip(
            figures["suppressed"], figures["reason"], figures["refigured"]
        )
    ]
