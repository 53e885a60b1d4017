"""Finding an area from what a visitor types: a GSS code, a postcode, a postcode district or
part of a name.

Postcodes are looked up in an ONS National Statistics Postcode Lookup extract (columns ``pcds``,
``outcode``, ``ladcd``, ``wardcd``); the demo bundles the CV and LE postcode areas and the
setting ``POSTCODE_LOOKUP`` points at another file, such as the national one.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from healthgap.areas.models import Area, AreaType

GSS_CODE = re.compile(r"^[EKWSN]\d{8}$")
POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$")
POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
MAX_NAME_MATCHES = 50
# Broad areas first: a name shared by a city and its ward lists the city first.
TYPE_ORDER = [
    AreaType.ENGLAND,
    AreaType.REGION,
    AreaType.COUNTY,
    AreaType.UNITARY,
    AreaType.DISTRICT,
    AreaType.COMBINED,
    AreaType.WARD,
    AreaType.MSOA,
    AreaType.LSOA,
    AreaType.CCG,
    AreaType.GP_PRACTICE,
]


@dataclass
class SearchResult:
    """What a query found: ``kind`` is "code", "postcode", "district", "name" or "none"."""

    query: str
    kind: str
    areas: list[Area] = field(default_factory=list)
    message: str = ""


@dataclass(frozen=True)
class PostcodeLookup:
    wards_by_postcode: dict[str, tuple[str, str]]  # "CV11AA" -> (authority code, ward code)
    areas_by_district: dict[str, set[str]]  # "CV1" -> authority and ward codes
    lsoas_by_postcode: dict[str, str]  # "CV11AA" -> 2021 LSOA code, where the file has one
    lsoa_names: dict[str, str]  # 2021 LSOA code -> its name ("Coventry 031E")


@lru_cache(maxsize=2)
def postcode_lookup(path: str) -> PostcodeLookup:
    """The lookup file read once per process (64,558 rows for the demo's CV and LE areas)."""
    by_postcode: dict[str, tuple[str, str]] = {}
    by_district: dict[str, set[str]] = {}
    lsoas: dict[str, str] = {}
    names: dict[str, str] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            authority, ward = row["ladcd"].strip(), row["wardcd"].strip()
            if not authority:
                continue  # a postcode without a location has no codes
            key = row["pcds"].replace(" ", "").upper()
            by_postcode[key] = (authority, ward)
            by_district.setdefault(row["outcode"].strip().upper(), set()).update((authority, ward))
            if row.get("lsoa21cd"):
                lsoas[key] = row["lsoa21cd"].strip()
                names[lsoas[key]] = (row.get("lsoa21nm") or "").strip()
    return PostcodeLookup(by_postcode, by_district, lsoas, names)


def configured_postcode_lookup() -> PostcodeLookup | None:
    """The lookup the setting POSTCODE_LOOKUP names, or None when the file is absent."""
    path = Path(settings.POSTCODE_LOOKUP)
    return postcode_lookup(str(path)) if path.is_file() else None


def _ordered(areas) -> list[Area]:
    rank = {kind: order for order, kind in enumerate(TYPE_ORDER)}
    return sorted(areas, key=lambda area: (rank.get(area.area_type, 99), area.name))


def _by_codes(codes) -> list[Area]:
    return _ordered(Area.objects.filter(code__in=[c for c in codes if c]).select_related("parent"))


def find_areas(query: str) -> SearchResult:
    """Areas matching ``query``, tried as a GSS code, a postcode, a postcode district, a name."""
    text = " ".join(query.split())
    upper = text.upper()
    if not text:
        return SearchResult(query, "none", message="Type an area name, code or postcode.")
    if GSS_CODE.match(upper):
        found = _by_codes([upper])
        return SearchResult(text, "code" if found else "none", found)
    lookup = configured_postcode_lookup()
    postcode = POSTCODE.match(upper)
    if postcode and lookup:
        codes = lookup.wards_by_postcode.get(postcode.group(1) + postcode.group(2))
        if codes:
            ward, authority = reversed(codes)
            return SearchResult(upper, "postcode", _by_codes([ward, authority]))
        return SearchResult(upper, "none", message=f"The postcode {upper} is not in the lookup.")
    if POSTCODE_DISTRICT.match(upper) and lookup and upper in lookup.areas_by_district:
        return SearchResult(upper, "district", _by_codes(lookup.areas_by_district[upper]))
    # GP practices have their own pages (/practices/): a place name finds the places.
    named = (
        Area.objects.filter(name__icontains=text)
        .exclude(area_type=AreaType.GP_PRACTICE)
        .select_related("parent")
    )
    found = _ordered(named[: MAX_NAME_MATCHES * 4])[:MAX_NAME_MATCHES]
    return SearchResult(text, "name" if found else "none", found)
