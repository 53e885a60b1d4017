"""Which region each local authority is in: ONS's own lookup first, and a check that every county
sits in the same region as its districts.

Names-and-codes files can place an authority in the wrong region (mySociety's file puts
Derbyshire under the West Midlands and Lincolnshire under Yorkshire and the Humber while their
districts are in the East Midlands, and Forest Heath under Surrey). ONS's mid-year estimate
tables (MYE2) list every authority under its region and every district under its county, so
both are taken from there where ONS has them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from healthgap.ingest.errors import IngestError, Problem, ProblemList
from healthgap.ingest.mye2 import read_mye2
from healthgap.ingest.tables import Row

REGION_PREFIX, COUNTY_PREFIX, DISTRICT_PREFIX = "E12", "E10", "E07"


@dataclass
class OnsHierarchy:
    """Each authority's region and each district's county, as ONS lists them."""

    regions: dict[str, str] = field(default_factory=dict)  # authority code -> region code
    counties: dict[str, str] = field(default_factory=dict)  # district code -> county code


def read_ons_hierarchy(path: Path) -> OnsHierarchy:
    """Regions and counties from an ONS MYE2 table, where every authority row follows its
    region's row and every district its county's."""
    found = OnsHierarchy()
    region, county = None, None
    for code in read_mye2(path)["CODE"]:  # England's rows, in the table's order
        if code.startswith(REGION_PREFIX):
            region, county = code, None
        elif region:
            found.regions[code] = region
            if code.startswith(COUNTY_PREFIX):
                county = code
            elif code.startswith(DISTRICT_PREFIX) and county:
                found.counties[code] = county
            else:
                county = None
    if not found.regions:
        raise IngestError(path, [Problem(None, "CODE", "no region (E12) rows: not an MYE2 table")])
    return found


def check_county_regions(
    rows: list[Row],
    region_of: dict[str, str],
    county_of: dict[str, str],
    region_names: dict[str, str],
    problems: ProblemList,
) -> None:
    """A problem naming the rows for every county whose region is not its districts' region.

    ``region_of`` gives each authority's region (code or name) by GSS code, ``county_of`` each
    district's county GSS code, ``region_names`` each region's name by code.
    """

    def region(code: str) -> str:
        return region_names.get(region_of[code], region_of[code])

    row_of = {row["gss-code"]: row for row in rows}
    districts: dict[str, list[Row]] = {}
    for code, county in county_of.items():
        districts.setdefault(county, []).append(row_of[code])
    for county, members in districts.items():
        county_row = row_of.get(county)
        if county_row is None:
            continue
        mismatched = [row for row in members if region_of[row["gss-code"]] != region_of[county]]
        if not mismatched:
            continue
        named = "; ".join(
            f"row {row.line} {row['nice-name']} ({row['gss-code']}) in {region(row['gss-code'])!r}"
            for row in mismatched
        )
        problems.add(
            county_row.line,
            "region",
            f"county {county_row['nice-name']} ({county}) is in {region(county)!r} but its "
            f"districts are not: {named}",
        )
