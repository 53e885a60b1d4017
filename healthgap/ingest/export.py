"""Indicator values back out in Fingertips' 26-column export layout, as CSV or XLSX.

Column names are the export's underscore form (``Lower_CI_95.0_limit``), which the Fingertips
importer reads back: import, export and import again gives the same values.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from healthgap.areas.models import Area, AreaType
from healthgap.indicators.models import IndicatorValue, Period
from healthgap.indicators.periods import fingertips_sortable, parse_period
from healthgap.ingest.fingertips import EXPORT_COLUMNS

AREA_TYPE_LABELS = {
    AreaType.ENGLAND: "England",
    AreaType.REGION: "Region",
    AreaType.COUNTY: "County & UA",
    AreaType.UNITARY: "County & UA",
    AreaType.DISTRICT: "District & UA",
}
# The export's columns that come straight from a value's fields; the file's published labels are
# replaced by healthgap's own benchmarking.
RESULT_FIELDS = {
    "published_trend": "recent_trend",
    "published_england": "compared_to_england",
    "published_region": "compared_to_region",
}
FIELDS = {
    column: RESULT_FIELDS.get(name, name)
    for column, name in EXPORT_COLUMNS.items()
    if name not in (None, "indicator", "indicator_name", "area", "period")
}


def select_values(
    indicators: Iterable[str] | None = None,
    areas: Iterable[str] | None = None,
    periods: Iterable[str] | None = None,
):
    """Values filtered by indicator codes, area codes and period labels (None: all)."""
    values = IndicatorValue.objects.all()
    if indicators:
        values = values.filter(indicator__in=list(indicators))
    if areas:
        values = values.filter(area__in=list(areas))
    if periods:
        values = values.filter(period__label__in=[parse_period(p).label for p in periods])
    return values


def fingertips_frame(values) -> pd.DataFrame:
    """The selected values as a frame in the Fingertips export layout and column order."""
    rows = pd.DataFrame.from_records(
        values.order_by("indicator", "period__start", "area", "sex", "age").values(
            "indicator_id", "indicator__name", "area_id", "period_id", *FIELDS.values()
        )
    )
    if rows.empty:
        return pd.DataFrame(columns=list(EXPORT_COLUMNS))
    areas = _areas(rows["area_id"].unique())
    periods = {p.id: p.label for p in Period.objects.filter(id__in=rows["period_id"].unique())}
    out = pd.DataFrame(index=rows.index)
    out["IndicatorID"] = rows["indicator_id"]
    out["IndicatorName"] = rows["indicator__name"]
    out["ParentCode"] = rows["area_id"].map(areas["parent"])
    out["ParentName"] = rows["area_id"].map(areas["parent_name"])
    out["AreaCode"] = rows["area_id"]
    out["AreaName"] = rows["area_id"].map(areas["name"])
    out["AreaType"] = rows["area_id"].map(areas["type"])
    for column, field in FIELDS.items():
        out[column] = rows[field]
    labels = rows["period_id"].map(periods)
    out.insert(out.columns.get_loc("Value"), "Timeperiod", labels)
    out["Time_period_Sortable"] = labels.map(lambda label: fingertips_sortable(parse_period(label)))
    out["New_data"] = ""
    out["Compared_to_goal"] = ""
    return out[list(EXPORT_COLUMNS)]


def _areas(codes) -> pd.DataFrame:
    areas = pd.DataFrame.from_records(
        Area.objects.filter(code__in=list(codes)).values(
            "code", "name", "area_type", "parent", "parent__name"
        ),
        index="code",
    )
    areas["parent"] = areas["parent"].fillna("")
    areas["parent_name"] = areas["parent__name"].fillna("")
    areas["type"] = areas["area_type"].map(lambda t: AREA_TYPE_LABELS.get(t, AreaType(t).label))
    return areas.set_index(areas.index.astype(str))


def write_csv(values, path: Path) -> int:
    frame = fingertips_frame(values)
    frame.to_csv(path, index=False, encoding="utf-8")
    return len(frame)


def write_xlsx(values, path: Path) -> int:
    frame = fingertips_frame(values)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Fingertips data")
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if pd.isna(cell) else cell for cell in row])
    book.save(path)
    return len(frame)
