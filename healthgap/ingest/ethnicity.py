"""Census 2021 ethnic group (ONS table TS021) by LSOA, summed to wards and local authorities.

The file has one row per 2021 LSOA and ethnic group with the LSOA's ward and authority
(``lsoa21_code, ward24_code, ltla24_code, total_residents, ethnic_group, n``). Each area's
residents in each group become values of the indicator ``census2021-ethnic-group`` (the share
of residents, with the count and the total), in the breakdown "Ethnic group (Census 2021)", so
that pages show them beside the area's other indicators. Wards and authorities must be known
areas (else nothing is loaded). LSOAs split, merged or recoded since 2011 are matched to the 2011
LSOAs healthgap holds by ``areas.lsoa_changes`` (a split's pieces add up to their 2011 LSOA
exactly; a merged or clustered LSOA's residents are shared by the 2011 LSOAs' population).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from healthgap.areas.queries import lsoa_2021_matches
from healthgap.constants import PERSONS
from healthgap.indicators.models import Polarity, ValueType
from healthgap.ingest.frames import NUMBER, TEXT, read_frame
from healthgap.ingest.practices import _values_frame
from healthgap.ingest.values import LoadResult, ValueTable, load_values

ETHNIC_GROUP = "census2021-ethnic-group"
CATEGORY_TYPE = "Ethnic group (Census 2021)"
PERIOD = "2021"
COLUMNS = {"lsoa21_code": TEXT, "lsoa21_name": TEXT, "ward24_code": TEXT, "ltla24_code": TEXT}
COLUMNS.update(ethnic_group=TEXT)
COLUMNS.update(total_residents=NUMBER, n=NUMBER)
INDICATOR = {
    "name": "Residents by ethnic group (Census 2021)",
    "domain": "Population",
    "unit": "% of residents",
    "value_type": ValueType.PROPORTION,
    "polarity": Polarity.NO_JUDGEMENT,
    "method": "Residents in the group / all usual residents; LSOAs summed to wards and authorities",
    "source": "ONS Census 2021, TS021 Ethnic group, via humaniverse/demographr",
    "licence": "Open Government Licence v3.0",
}


def import_ethnic_groups(path: Path) -> LoadResult:
    path = Path(path)
    raw = read_frame(path, COLUMNS)
    parts = [_summed(_as_2011_lsoas(raw), "lsoa11")]
    parts += [_summed(raw, column) for column in ("ward24_code", "ltla24_code")]
    summed = pd.concat(parts, ignore_index=True)
    frame = _values_frame(
        summed["_line"].to_numpy(),
        indicator=ETHNIC_GROUP,
        area=summed["area"].to_numpy(),
        period=PERIOD,
        sex=PERSONS,
        age="All ages",
        count=summed["n"].to_numpy(),
        denominator=summed["total"].to_numpy(),
        value=(100 * summed["n"] / summed["total"]).round(2).to_numpy(),
    )
    frame["category_type"] = CATEGORY_TYPE
    frame["category"] = summed["group"].to_numpy()
    names = {c: c for c in frame.columns}
    names.update(
        area="lsoa21_code", count="n", denominator="total_residents", category="ethnic_group"
    )
    table = ValueTable(path, "census-ethnic-group", frame, names, {ETHNIC_GROUP: INDICATOR})
    return load_values(table)


def _as_2011_lsoas(raw: pd.DataFrame) -> pd.DataFrame:
    """The file's rows against the 2011 LSOAs healthgap holds (column ``lsoa11``): residents
    times the share of the 2021 LSOA's people in each; rows of LSOAs with no match are left out."""
    names = dict(zip(raw["lsoa21_code"], raw["lsoa21_name"], strict=True))
    matches = lsoa_2021_matches(names)[["lsoa21", "lsoa11", "share"]]
    rows = raw.merge(matches, left_on="lsoa21_code", right_on="lsoa21", sort=False)
    rows["n"] = rows["n"] * rows["share"]
    rows["total_residents"] = rows["total_residents"] * rows["share"]
    return rows


def _summed(raw: pd.DataFrame, column: str) -> pd.DataFrame:
    """Residents per area (LSOA, ward or authority) and group, with the area's total; each row
    keeps the first line of the file it came from, for messages."""
    groups = raw.assign(area=raw[column].astype(str), group=raw["ethnic_group"].astype(str))
    counts = groups.groupby(["area", "group"], sort=True).agg(
        n=("n", "sum"), _line=("_line", "min")
    )
    totals = (
        groups.drop_duplicates(["area", "lsoa21_code"]).groupby("area")["total_residents"].sum()
    )
    counts = counts.reset_index()
    counts["total"] = counts["area"].map(totals).to_numpy()
    return counts
