"""Residents by ethnic group (Census 2021) for an area and, for an authority, each of its
wards: shown beside the area's indicators, small numbers suppressed with
:func:`healthgap.methods.disclose` (counts 1-7 hidden, others rounded to 5, and a second cell
hidden wherever the total would give a hidden one away)."""

from __future__ import annotations

import pandas as pd

from healthgap.areas.models import Area, AreaType
from healthgap.indicators.models import IndicatorValue
from healthgap.ingest.ethnicity import ETHNIC_GROUP
from healthgap.methods import disclose
from healthgap.web.formats import DataTable

TOTAL = "All residents"
SUPPRESSED = "*"


def _values(area_codes: list[str]) -> pd.DataFrame:
    rows = IndicatorValue.objects.filter(indicator_id=ETHNIC_GROUP, area_id__in=area_codes)
    columns = ["area_id", "category", "count", "denominator"]
    return pd.DataFrame(list(rows.values_list(*columns)), columns=columns)


def disclosed_rows(values: pd.DataFrame) -> list[dict]:
    """One row per area and group (and the area's total) with the published count and share."""
    if values.empty:
        return []
    totals = values.drop_duplicates("area_id")
    cells = pd.concat(
        [
            pd.DataFrame({"area": values["area_id"], "group": values["category"],
                          "count": values["count"], "total": values["denominator"]}),
            pd.DataFrame({"area": totals["area_id"], "group": TOTAL,
                          "count": totals["denominator"], "total": totals["denominator"]}),
        ],
        ignore_index=True,
    )  # fmt: skip
    cells["id"] = cells["area"] + "|" + cells["group"]
    cells["value"] = cells["count"]
    cells["value_type"] = "count"
    cells["level"] = "local"
    constraints = [
        (f"{area}|{TOTAL}", [f"{area}|{group}" for group in part["category"]])
        for area, part in values.groupby("area_id")
    ]
    shown = disclose(cells, constraints)
    rows = []
    for record in shown.to_dict("records"):
        count = record["count_shown"]
        rows.append(
            {
                "area": record["area"],
                "group": record["group"],
                "residents": SUPPRESSED if record["suppressed"] else int(count),
                "percent": None
                if record["suppressed"]
                else round(100 * count / record["total"], 1),
                "note": record["reason"],
            }
        )
    return rows


def ethnicity_tables(area: Area) -> list[DataTable]:
    """The area's residents by group; for an authority, the same for each of its wards."""
    own = disclosed_rows(_values([area.code]))
    if not own:
        return []
    columns = [("group", "Ethnic group"), ("residents", "Residents (rounded to 5)"),
               ("percent", "% of residents"), ("note", "Suppressed because")]  # fmt: skip
    tables = [
        DataTable(
            "ethnic_group",
            f"Residents by ethnic group, {area.name} (Census 2021)",
            columns,
            own,
            decimals={"percent": 1},
        )
    ]
    wards = dict(
        Area.objects.filter(area_type=AreaType.WARD, parent=area).values_list("code", "name")
    )
    by_ward = disclosed_rows(_values(list(wards)))
    if by_ward:
        for row in by_ward:
            row["ward"] = wards[row["area"]]
        by_ward.sort(key=lambda row: (row["ward"], row["group"] == TOTAL, row["group"]))
        tables.append(
            DataTable(
                "ethnic_group_by_ward",
                f"Residents by ethnic group and ward, {area.name} (Census 2021)",
                [("ward", "Ward"), ("area", "Ward code"), *columns],
                by_ward,
                decimals={"percent": 1},
            )
        )
    return tables
