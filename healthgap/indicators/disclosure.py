"""Disclosure control of indicator values before they are published (issue 17).

Values of an indicator flagged ``needs_disclosure_control`` pass through
``healthgap.methods.disclose`` with every additive relation the published figures make public:
an area's value and its child areas' (wards in a city, a city in its region), persons and the
two sexes, the whole population and each breakdown's categories. Indicators without the flag
(Fingertips exports and other official open sources) keep their source's own treatment.

Secondary suppression needs the whole set of related cells, so disclosure is applied to all the
values of an indicator for each period, sex, age and breakdown before any filtering or paging.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from healthgap.areas.models import Area, AreaType
from healthgap.constants import FEMALE, MALE, PERSONS
from healthgap.indicators.models import Indicator
from healthgap.methods import disclose
from healthgap.methods.disclosure import NATIONAL, SHOWN_AS_SUPPRESSED

LIMITS = ("lower95", "upper95", "lower998", "upper998")
UNSUPPRESSED_NOTE = "Unsuppressed: shown to signed-in analysts only; do not publish."


def cell_id(row: dict) -> str:
    return "|".join(
        str(row[key]) for key in ("area_id", "period", "sex", "age", "category_type", "category")
    )


def _with(row: dict, **changes) -> str:
    return cell_id({**row, **changes})


def _constraints(rows: list[dict], parents: dict[str, str | None]) -> list[tuple[str, list]]:
    """(total, parts) for areas in their parent, sexes in persons, categories in the whole."""
    present = {cell_id(row) for row in rows}
    children, sexes, categories = defaultdict(list), {}, defaultdict(list)
    for row in rows:
        own = cell_id(row)
        parent = parents.get(row["area_id"])
        if parent and _with(row, area_id=parent) in present:
            children[_with(row, area_id=parent)].append(own)
        if row["sex"] == PERSONS:
            sexes[own] = [_with(row, sex=sex) for sex in (MALE, FEMALE)]
        if row["category_type"]:
            whole = _with(row, category_type="", category="")
            if whole in present:
                categories[(whole, row["category_type"])].append(own)
    found = list(children.items())
    found += [(total, parts) for total, parts in sexes.items() if all(p in present for p in parts)]
    found += [(whole, parts) for (whole, _), parts in categories.items()]
    return found


def disclosed_rows(indicator: Indicator, rows: list[dict]) -> list[dict]:
    """``rows`` (dicts from ``queries.value_rows``, every value of ``indicator`` that relates
    to each other) as they may be published: suppressed counts and values become None with
    ``suppressed`` True and the reason in ``disclosure``; other counts are rounded."""
    if not indicator.needs_disclosure_control or not rows:
        return [{**row, "suppressed": False, "disclosure": ""} for row in rows]
    area_codes = {row["area_id"] for row in rows}
    areas = Area.objects.filter(code__in=area_codes).values_list("code", "parent_id", "area_type")
    parents = {code: parent for code, parent, _ in areas}
    national = {code for code, _, area_type in areas if area_type == AreaType.ENGLAND}
    cells = pd.DataFrame(
        {
            "id": [cell_id(row) for row in rows],
            "count": [row["count"] for row in rows],
            "value": [row["value"] for row in rows],
            "value_type": indicator.value_type,
            "level": [NATIONAL if row["area_id"] in national else "local" for row in rows],
        }
    )
    cells["count"] = pd.to_numeric(cells["count"])
    published = disclose(cells, _constraints(rows, parents))
    out = []
    for row, cell in zip(rows, published.itertuples(index=False)):
        shown = {**row, "count": _number(cell.count_shown), "value": _number(cell.value_shown)}
        if shown["value"] is None:
            shown.update({limit: None for limit in LIMITS}, value=None)
        shown["suppressed"] = bool(cell.suppressed)
        shown["disclosure"] = cell.reason
        if cell.suppressed:
            shown["value_note"] = f"{SHOWN_AS_SUPPRESSED} suppressed ({cell.reason})"
        out.append(shown)
    return out


def _number(figure) -> float | None:
    """A published figure as a plain float, or None (suppressed, or never given)."""
    return None if figure is None or pd.isna(figure) else float(figure)


def unsuppressed_rows(rows: list[dict]) -> list[dict]:
    """The figures as computed, for signed-in analysts, each marked as unsuppressed."""
    return [{**row, "suppressed": False, "disclosure": UNSUPPRESSED_NOTE} for row in rows]
