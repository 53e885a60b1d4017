"""A place's indicator figures as they may be published (issue 17): they are sums of its areas'
counts that healthgap computes, so they pass through disclosure control
(``indicators.disclosure.controlled_rows`` under the indicator's rule: by default counts 1-7
suppressed, others rounded to 5 with the value and limits worked out from the rounded count; the
sexes and breakdowns of one indicator checked together), on the public page and in the API alike.
Signed-in analysts see them as computed, marked as such.

A place is also a total of its member areas, whose figures are published too: an indicator
under control is checked together with every published value of it, the place's figures being
the sum of its members' (secondary suppression), and the members keeping the state they are
published in, so that a suppressed ward is never the place less its shown wards. Places may
share wards or lie one inside another, so one place less another gives the wards only one of
them holds: every published place's figures are decided together, in one system with all the
members' values, and the same way on every page; a place not published (a draft seen in the
workspace) is decided after them, the published places keeping their state.

Its death rate and life expectancy come from record-level deaths: with 1-7 deaths a figure is
withheld (a route's and its stops' together, the route being their sum), with fewer than 10 a
DSR too, and where rounding the deaths changes them the DSR is
worked out again from the rounded count; a life expectancy keeps its limits, which cannot give
back a count (``methods.from_rounded_count``)."""

from __future__ import annotations

from collections import defaultdict
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
from healthgap.places.profile import PlaceFigures, rebuilt_indicators

BREAKDOWN = ("period", "sex", "age", "category_type", "category")


def records(frame: pd.DataFrame) -> list[dict]:
    """A frame's rows as dicts with None for missing figures."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _indicator_rows(place: Place, indicators: pd.DataFrame) -> list[dict]:
    """The recomputed indicators (``profile.rebuilt_indicators``) in the shape of
    ``queries.value_rows`` (the place as the area)."""
    if "value" not in indicators:
        return []
    return [
        {
            "indicator_id": record["indicator_id"],
            "area_id": place_area_id(place),
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
        for record in records(indicators)
    ]


def place_area_id(place: Place) -> str:
    """The place's cells' area in the disclosure system (no area code looks like it)."""
    return f"place {place.pk}"


def published_indicators(place: Place, figures: PlaceFigures, unsuppressed: bool) -> list[dict]:
    """The place's indicator figures under disclosure control, indicator by indicator (or as
    computed, marked, when ``unsuppressed``)."""
    rows = _indicator_rows(place, figures.indicators)
    if unsuppressed:
        return unsuppressed_rows(rows)
    kinds = Indicator.objects.in_bulk({row["indicator_id"] for row in rows})
    public = (
        _public_place_rows(place, rows)
        if any(kind.needs_disclosure_control for kind in kinds.values())
        else {}
    )
    shown = []
    for code in sorted(kinds):
        own = [row for row in rows if row["indicator_id"] == code]
        if kinds[code].needs_disclosure_control:
            shown += _against_published(kinds[code], place, public)
        else:  # the members' figures are public as they are: nothing of theirs to protect
            shown += controlled_rows(
                kinds[code].value_type, own, rule=kinds[code].disclosure_rule()
            )
    return shown


def _public_place_rows(place: Place, own: list[dict]) -> dict[Place, list[dict]]:
    """Every published place's recomputed rows (in a fixed order), and ``place``'s own (last
    if it is not published)."""
    found = {}
    for other in Place.public_objects.order_by("pk"):
        found[other] = (
            own
            if other.pk == place.pk
            else _indicator_rows(other, rebuilt_indicators(other.area_codes))
        )
    found.setdefault(place, own)
    return found


def _against_published(
    indicator: Indicator, place: Place, places: dict[Place, list[dict]]
) -> list[dict]:
    """``place``'s rows of a controlled indicator, checked with all its published values and
    every published place's (each the total of its members' for the same breakdown)."""
    every_value = indicator_rows(indicator)
    published = disclosed_rows(indicator, every_value)
    states = {cell_id(row): row["suppressed"] for row in published}
    rows = {
        other: [row for row in other_rows if row["indicator_id"] == indicator.code]
        for other, other_rows in places.items()
    }
    public = [other for other in rows if other.is_published]
    decided = _together(indicator, public, rows, every_value, states)
    if place in public:
        return decided[place]
    # The draft after them, in the same system: the published places keep their state.
    states |= {cell_id(row): row["suppressed"] for shown in decided.values() for row in shown}
    return _together(indicator, [*public, place], rows, every_value, states)[place]


def _together(indicator, places, rows, every_value, states) -> dict[Place, list[dict]]:
    """The rows of ``places`` decided in one system with ``every_value`` (the cells in
    ``states`` keeping their published state): each place's figure is the total of its
    members' for the same breakdown."""
    member_cells = defaultdict(list)
    for row in every_value:
        member_cells[(row["area_id"], cell_id({**row, "area_id": ""}))].append(cell_id(row))
    own, totals = [], []
    for place in places:
        own += rows[place]
        for row in rows[place]:
            breakdown = cell_id({**row, "area_id": ""})
            parts = [cell for code in place.area_codes for cell in member_cells[(code, breakdown)]]
            totals.append((cell_id(row), parts))
    if not own:
        return {place: [] for place in places}
    shown = controlled_rows(
        indicator.value_type,
        own + every_value,
        totals,
        published=states,
        rule=indicator.disclosure_rule(),
    )
    decided, start = {}, 0
    for place in places:
        decided[place] = shown[start : start + len(rows[place])]
        start += len(rows[place])
    return decided


def published_mortality(figures: PlaceFigures, unsuppressed: bool) -> PlaceFigures:
    """The figures with the place's (and a route's stops') death rate and life expectancy as
    they may be published, or as computed and marked when ``unsuppressed``. A route's deaths
    are the sum of its stops', so the two are controlled together: a stop withheld is never
    the route less its shown stops."""
    if unsuppressed or figures.stops.empty:
        return replace(
            figures,
            mortality=_controlled_mortality(figures.mortality, unsuppressed),
            stops=_controlled_mortality(figures.stops, unsuppressed),
        )
    whole = len(figures.mortality)
    both = pd.concat([figures.mortality, figures.stops], ignore_index=True)
    shown = _controlled_mortality(both, False, _route_constraints(both, whole))
    return replace(
        figures,
        mortality=shown.iloc[:whole].drop(columns="ward"),
        stops=shown.iloc[whole:].drop(columns="place").reset_index(drop=True),
    )


def _route_constraints(both: pd.DataFrame, whole: int) -> list[tuple[int, list[int]]]:
    """Each of the route's figures (the first ``whole`` rows) as the total of its stops' of
    the same measure and sex."""
    keys = list(zip(both["measure"], both["sex"]))
    return [
        (row, [stop for stop in range(whole, len(both)) if keys[stop] == keys[row]])
        for row in range(whole)
    ]


def _controlled_mortality(
    frame: pd.DataFrame, unsuppressed: bool, constraints: list[tuple[int, list[int]]] = ()
) -> pd.DataFrame:
    """Each figure withheld, refigured or kept by the deaths behind it (``constraints``: rows
    that are the sum of others' deaths); ``disclosure`` says which."""
    if frame.empty:
        return frame
    if unsuppressed:
        return frame.assign(disclosure=UNSUPPRESSED_NOTE)
    cells = frame.reset_index(drop=True).assign(id=lambda f: f.index, level="local")
    shown = disclose(cells, constraints, count="deaths", value_type="value_type")
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
