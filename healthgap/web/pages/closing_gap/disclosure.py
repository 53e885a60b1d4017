"""Disclosure control of the closing-the-gap pages' ward and cause tables: their deaths come from
the council's record-level extract, so before the public sees them they pass through
``healthgap.methods.disclose`` (counts 1-7 over the years held suppressed, others rounded to 5,
secondary suppression). The relations the tables make public: the wards add up to all the
area's deaths, and so do the causes (the total is treated as known); likewise the deaths
considered preventable.

Shown counts are the rounded ones, divided by the years held; the deaths to avert and their
Poisson limits are worked out again from the rounded count (``healthgap.methods.rate``), since
limits from the true count would give it back. A suppressed row shows none of its deaths
figures. Signed-in analysts get the figures as computed, each row marked unsuppressed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from healthgap.indicators.disclosure import UNSUPPRESSED_NOTE
from healthgap.methods import DisclosureRule, disclose, rate
from healthgap.mortality.causes import group_labels

ALL_DEATHS = "all the area's deaths"
DEATHS_AVERTED_KEY = {"wards": "value", "causes": "avert"}


@dataclass
class Disclosure:
    """What the page says about the control applied: which rows lost figures, and why."""

    unsuppressed: bool = False
    rule: str = DisclosureRule().name
    suppressed: dict[str, list[str]] = field(default_factory=lambda: {"wards": [], "causes": []})

    @property
    def any_suppressed(self) -> bool:
        return any(self.suppressed.values())


def _cell_ids(local_frame: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Readable cell ids (they appear in the reasons) by table and row key."""
    wards = local_frame.drop_duplicates("ward").set_index("ward")["ward_name"]
    labels = group_labels()
    return {
        "wards": {code: f"ward {name}" for code, name in wards.items()},
        "causes": {labels[group]: f"cause {labels[group]}" for group in labels},
    }


def _counts(local_frame: pd.DataFrame, column: str, ids: dict) -> pd.DataFrame:
    """One cell per ward, per cause and for the whole area, with its count over the years."""
    labels = group_labels()
    by_ward = local_frame.groupby("ward")[column].sum()
    by_cause = local_frame.groupby("cause_group")[column].sum()
    cells = [(ALL_DEATHS, float(local_frame[column].sum()))]
    cells += [(ids["wards"][ward], float(count)) for ward, count in by_ward.items()]
    cells += [(ids["causes"][labels[cause]], float(count)) for cause, count in by_cause.items()]
    frame = pd.DataFrame(cells, columns=["id", "count"])
    return frame.assign(value=frame["count"], value_type="count", level="local")


def _published(local_frame: pd.DataFrame, column: str, ids: dict) -> pd.DataFrame:
    cells = _counts(local_frame, column, ids)
    parts = [
        [cell for cell in table.values() if cell in set(cells["id"])] for table in ids.values()
    ]
    return disclose(cells, [(ALL_DEATHS, members) for members in parts]).set_index("id")


def _avert_from_rounded(count: float, years: int, expected: float) -> dict:
    """Deaths a year, deaths a year to avert and its 95% limits from the published count."""
    frame = pd.DataFrame({"deaths": [count], "years": [float(years)]})
    shown = rate(frame, "deaths", "years", multiplier=1).iloc[0]
    return {
        "observed": round(shown["value"], 1),
        "value": round(shown["value"] - expected, 1),
        "lower": round(shown["lowercl"] - expected, 1),
        "upper": round(shown["uppercl"] - expected, 1),
    }


def _control_row(row: dict, deaths, preventable, years: int, averted: str) -> None:
    """The row as the public may see it (in place); ``deaths`` and ``preventable`` are the
    row's published cells."""
    if deaths.suppressed:
        row.update(observed=None, lower=None, upper=None, preventable=None)
        row[averted] = None
        row["disclosure"] = f"Suppressed ({deaths.reason})"
        return
    shown = _avert_from_rounded(deaths.count_shown, years, row["expected"])
    row.update(observed=shown["observed"], lower=shown["lower"], upper=shown["upper"])
    row[averted] = shown["value"]
    hidden = preventable.suppressed
    row["preventable"] = None if hidden else round(preventable.count_shown / years, 1)
    row["disclosure"] = f"Preventable deaths suppressed ({preventable.reason})" if hidden else ""


def shown_count(count: float, unsuppressed: bool) -> float | None:
    """A single count of record-level deaths as the public may see it (None when suppressed):
    the same rule as the tables' cells; as computed for signed-in analysts."""
    if unsuppressed:
        return round(count, 1)
    cell = pd.DataFrame(
        {"id": ["count"], "count": [count], "value": [count], "value_type": ["count"],
         "level": ["local"]}
    )  # fmt: skip
    return disclose(cell).iloc[0]["count_shown"]


def control(
    local_frame: pd.DataFrame, years: int, tables: dict[str, list[dict]], unsuppressed: bool
) -> Disclosure:
    """Applies disclosure control to ``tables`` ({"wards": rows, "causes": rows}, in place)
    unless ``unsuppressed``; wards are then re-ranked so that a suppressed ward's place does
    not tell its figure."""
    if unsuppressed:
        for rows in tables.values():
            for row in rows:
                row["disclosure"] = UNSUPPRESSED_NOTE
        return Disclosure(unsuppressed=True)
    ids = _cell_ids(local_frame)
    deaths = _published(local_frame, "deaths", ids)
    preventable = _published(local_frame, "preventable", ids)
    found = Disclosure()
    for table, rows in tables.items():
        key = "code" if table == "wards" else "category"
        for row in rows:
            cell = ids[table][row[key]]
            _control_row(
                row, deaths.loc[cell], preventable.loc[cell], years, DEATHS_AVERTED_KEY[table]
            )
            if deaths.loc[cell, "suppressed"]:
                found.suppressed[table].append(row.get("name") or row["category"])
    _rerank(tables["wards"])
    for names in found.suppressed.values():
        names.sort()
    return found


def _rerank(wards: list[dict]) -> None:
    """Shown wards by deaths to avert, largest first; then the suppressed ones by name."""
    wards.sort(key=lambda row: (row["value"] is None, -(row["value"] or 0), row["name"]))
    for order, row in enumerate(wards):
        row["order"] = order
