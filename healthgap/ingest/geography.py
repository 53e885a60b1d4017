"""Loaders for areas, lookups, boundaries, population and deprivation files.

Each loader parses and validates the whole file first, collecting every problem with its row and
column; only a clean file is written, in one transaction, so a bad file leaves nothing behind.
Loading the same file twice changes nothing (rows are upserted on their natural keys).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.db import transaction

from healthgap.areas.models import (
    IMD,
    Area,
    AreaType,
    Boundary,
    Deprivation,
    PopulationEstimate,
    Sex,
)
from healthgap.constants import ENGLAND_CODE
from healthgap.ingest.authority_regions import (
    OnsHierarchy,
    check_county_regions,
    read_ons_hierarchy,
)
from healthgap.ingest.errors import IngestError, Problem, ProblemList
from healthgap.ingest.geometry import read_features, simplify_geometry
from healthgap.ingest.loading import upsert
from healthgap.ingest.tables import parse_number, read_csv

# mySociety's local-authority-type codes mapped to healthgap's tiers.
AUTHORITY_TYPES = {
    "UA": AreaType.UNITARY,
    "MD": AreaType.UNITARY,
    "LBO": AreaType.UNITARY,
    "CC": AreaType.UNITARY,
    "CTY": AreaType.COUNTY,
    "NMD": AreaType.DISTRICT,
    "COMB": AreaType.COMBINED,
    "SRA": AreaType.COMBINED,
}

# IoD 2019 File 2 column stems, in the file's order.
IOD_DOMAINS = [
    IMD,
    "Income",
    "Employment",
    "Education, Skills and Training",
    "Health Deprivation and Disability",
    "Crime",
    "Barriers to Housing and Services",
    "Living Environment",
]


def _known_codes(codes: Iterable[str]) -> set[str]:
    return set(Area.objects.filter(code__in=set(codes)).values_list("code", flat=True))


def _check_codes(rows, column, problems, known, what="area"):
    for row in rows:
        code = row[column].strip()
        if code not in known:
            problems.add(row.line, column, f"unknown {what} code {code!r}")


def load_regions(path: Path) -> int:
    """England and its nine regions from a CSV of code, name."""
    _, rows = read_csv(path, ["code", "name"])
    problems = ProblemList(path)
    for row in rows:
        if not row["code"].startswith("E12"):
            problems.add(row.line, "code", f"{row['code']!r} is not a region (E12) code")
    problems.raise_if_any()
    england = Area(code=ENGLAND_CODE, name="England", area_type=AreaType.ENGLAND)
    regions = [
        Area(code=r["code"], name=r["name"], area_type=AreaType.REGION, parent_id=ENGLAND_CODE)
        for r in rows
    ]
    with transaction.atomic():
        return upsert(
            Area, [england, *regions], ["code"], ["name", "area_type", "parent"], "regions"
        )


def load_local_authorities(path: Path, ons_hierarchy: Path | None = None) -> int:
    """English local authorities (current and past) from mySociety's names-and-codes file.

    Districts hang under their county, every other authority under its region: ONS's county and
    region (``ons_hierarchy``, an MYE2 table) where ONS lists the authority, else the file's (for
    an abolished authority with no region given, the region of the authority that replaced it).
    A county whose region is not its districts' region is a problem naming the rows.
    """
    _, rows = read_csv(
        path,
        [
            "gss-code",
            "nice-name",
            "nation",
            "region",
            "local-authority-type",
            "county-la",
            "local-authority-code",
            "replaced-by",
        ],
    )
    rows = [row for row in rows if row["nation"] == "England"]
    problems = ProblemList(path)
    regions = dict(Area.objects.of_type(AreaType.REGION).values_list("name", "code"))
    ons = read_ons_hierarchy(ons_hierarchy) if ons_hierarchy else OnsHierarchy()
    region_of = _authority_regions(rows, regions, ons.regions)
    gss_by_local_code = {row["local-authority-code"]: row["gss-code"] for row in rows}
    county_of = {}
    authorities = []
    for row in rows:
        kind = AUTHORITY_TYPES.get(row["local-authority-type"])
        if kind is None:
            problems.add(
                row.line, "local-authority-type", f"unknown type {row['local-authority-type']!r}"
            )
            continue
        if kind == AreaType.DISTRICT and (row["county-la"] or row["gss-code"] in ons.counties):
            parent = ons.counties.get(row["gss-code"]) or gss_by_local_code.get(row["county-la"])
            if parent is None:
                problems.add(row.line, "county-la", f"unknown county {row['county-la']!r}")
            else:
                county_of[row["gss-code"]] = parent
        else:
            parent = region_of[row["gss-code"]]
            if parent not in regions.values():
                problems.add(row.line, "region", f"unknown region {parent!r}; load regions first")
        authorities.append(
            Area(code=row["gss-code"], name=row["nice-name"], area_type=kind, parent_id=parent)
        )
    region_names = {code: name for name, code in regions.items()}
    check_county_regions(rows, region_of, county_of, region_names, problems)
    problems.raise_if_any()
    # Counties first, so that districts' parents exist when foreign keys are checked.
    authorities.sort(key=lambda area: area.area_type == AreaType.DISTRICT)
    with transaction.atomic():
        return upsert(Area, authorities, ["code"], ["name", "area_type", "parent"], "authorities")


def _authority_regions(rows, regions: dict[str, str], ons: dict[str, str]) -> dict[str, str]:
    """Each authority's region code: ONS's, else the file's region name as a code (the name
    itself when no region has it), else that of the authority that replaced it."""
    named = {row["local-authority-code"]: row["region"] for row in rows}
    found = {}
    for row in rows:
        name = row["region"] or named.get(row["replaced-by"], "")
        found[row["gss-code"]] = ons.get(row["gss-code"]) or regions.get(name, name)
    return found


def load_lsoas_with_imd(path: Path) -> int:
    """Every LSOA (2011) with its IMD 2019 rank and decile (IoD 2019 File 1)."""
    code, name, lad = "LSOA code (2011)", "LSOA name (2011)", "Local Authority District code (2019)"
    rank, decile = (
        "Index of Multiple Deprivation (IMD) Rank",
        "Index of Multiple Deprivation (IMD) Decile",
    )
    _, rows = read_csv(path, [code, name, lad, rank, decile])
    problems = ProblemList(path)
    _check_codes(rows, lad, problems, _known_codes(r[lad] for r in rows), "local authority")
    lsoas, deprivation = [], []
    for row in rows:
        imd_rank = parse_number(row[rank], row.line, rank, problems, integer=True, minimum=1)
        imd_decile = parse_number(row[decile], row.line, decile, problems, integer=True, minimum=1)
        lsoas.append(
            Area(code=row[code], name=row[name], area_type=AreaType.LSOA, parent_id=row[lad])
        )
        deprivation.append(
            Deprivation(
                area_id=row[code],
                year=2019,
                domain=IMD,
                rank=imd_rank,
                decile=imd_decile,
                source=path.name,
            )
        )
    problems.raise_if_any()
    with transaction.atomic():
        upsert(Area, lsoas, ["code"], ["name", "area_type"], "LSOAs")
        upsert(
            Deprivation,
            deprivation,
            ["area", "year", "domain"],
            ["rank", "decile", "source"],
            "IMD ranks",
        )
    return len(lsoas)


def load_msoas(path: Path) -> int:
    """MSOAs (2011) from the LSOA-to-MSOA lookup; each LSOA's parent becomes its MSOA.

    An MSOA's parent is the local authority of its LSOAs, so LSOAs must be loaded first.
    """
    _, rows = read_csv(path, ["lsoa11_code", "msoa11_code", "msoa11_name"])
    problems = ProblemList(path)
    lsoa_parent = dict(Area.objects.of_type(AreaType.LSOA).values_list("code", "parent_id"))
    msoa_parent = dict(Area.objects.of_type(AreaType.MSOA).values_list("code", "parent_id"))
    msoas = {}
    for row in rows:
        parent = lsoa_parent.get(row["lsoa11_code"])
        # Before this lookup is loaded an LSOA hangs from its authority, afterwards from its MSOA.
        authority = msoa_parent.get(parent, parent)
        if authority is None:
            problems.add(row.line, "lsoa11_code", f"unknown LSOA code {row['lsoa11_code']!r}")
            continue
        msoas[row["msoa11_code"]] = Area(
            code=row["msoa11_code"],
            name=row["msoa11_name"],
            area_type=AreaType.MSOA,
            parent_id=authority,
        )
    problems.raise_if_any()
    lsoas = [Area(code=r["lsoa11_code"], parent_id=r["msoa11_code"]) for r in rows]
    with transaction.atomic():
        upsert(Area, list(msoas.values()), ["code"], ["name", "area_type", "parent"], "MSOAs")
        _set_field(lsoas, "parent_id")
    return len(msoas)


def load_wards(path: Path) -> int:
    """Wards from the LSOA-to-ward best-fit lookup; sets each LSOA's ward."""
    columns = ["lsoa11_code", "lad19_code", "ward17_code", "ward17_name_from_ward21"]
    _, rows = read_csv(path, columns)
    problems = ProblemList(path)
    _check_codes(
        rows, "lad19_code", problems, _known_codes(r["lad19_code"] for r in rows), "local authority"
    )
    _check_codes(
        rows, "lsoa11_code", problems, _known_codes(r["lsoa11_code"] for r in rows), "LSOA"
    )
    problems.raise_if_any()
    wards = {
        r["ward17_code"]: Area(
            code=r["ward17_code"],
            name=r["ward17_name_from_ward21"],
            area_type=AreaType.WARD,
            parent_id=r["lad19_code"],
        )
        for r in rows
    }
    with transaction.atomic():
        upsert(Area, list(wards.values()), ["code"], ["name", "area_type", "parent"], "wards")
        _set_field([Area(code=r["lsoa11_code"], ward_id=r["ward17_code"]) for r in rows], "ward_id")
    return len(wards)


def _in_england(features: list[dict], codes: list[str]) -> tuple[list[dict], list[str]]:
    kept = [(feature, code) for feature, code in zip(features, codes) if code[:1] in ("E", "")]
    return [feature for feature, _ in kept], [code for _, code in kept]


def _set_field(areas: list[Area], field: str) -> None:
    """Set one field on areas that exist already (validated by the caller).

    An upsert on the primary key is one statement per chunk, where bulk_update would build a
    CASE over every row; as every row exists, only the UPDATE branch ever runs.
    """
    for area in areas:
        area.name, area.area_type = "", AreaType.LSOA
    upsert(Area, areas, ["code"], [field.removesuffix("_id")], field.removesuffix("_id"))


def load_boundaries(
    path: Path,
    code_property: str,
    *,
    code_for: dict[str, str] | None = None,
    tolerance: float | None = None,
) -> int:
    """Boundaries keyed by a feature property holding the GSS code (e.g. ``WD21CD``).

    ``code_for`` translates other codes to GSS codes (NUTS1 ``UKG`` to region ``E12000005``).
    """
    try:
        features = read_features(path)
    except (ValueError, KeyError) as error:
        raise IngestError(path, [Problem(None, None, f"not a boundary file: {error}")]) from None
    problems = ProblemList(path)
    codes = [str(f.get("properties", {}).get(code_property, "")) for f in features]
    if code_for:
        codes = [code_for.get(code, code) for code in codes]
    # healthgap covers England: Welsh or Scottish features sharing a file are passed over.
    features, codes = _in_england(features, codes)
    known = _known_codes(codes)
    boundaries = []
    for number, (feature, code) in enumerate(zip(features, codes), start=1):
        if code not in known:
            problems.add(number, code_property, f"feature {number}: unknown area code {code!r}")
            continue
        try:
            shape = simplify_geometry(feature["geometry"], *([tolerance] if tolerance else []))
        except (ValueError, KeyError, TypeError) as error:
            problems.add(number, "geometry", f"feature {number}: {error}")
            continue
        boundaries.append(Boundary(area_id=code, geometry=shape, source=path.name))
    problems.raise_if_any()
    with transaction.atomic():
        return upsert(Boundary, boundaries, ["area"], ["geometry", "source"], "boundaries")


def load_single_year_population(
    path: Path, code_column: str, year: int, sex: str = Sex.PERSONS
) -> int:
    """Population by single year of age (columns 0 ... 89 and 90+), as ONS MYE2 and SAPE give it.

    Rows for areas outside England (Welsh authorities share the MYE2 file) are passed over.
    """
    ages = [str(age) for age in range(90)] + ["90+"]
    _, rows = read_csv(path, [code_column, *ages])
    rows = [row for row in rows if row[code_column].startswith("E")]
    problems = ProblemList(path)
    _check_codes(rows, code_column, problems, _known_codes(r[code_column] for r in rows))
    estimates = []
    for row in rows:
        for age_number, column in enumerate(ages):
            count = parse_number(row[column], row.line, column, problems, minimum=0)
            estimates.append(
                PopulationEstimate(
                    area_id=row[code_column],
                    year=year,
                    sex=sex,
                    age=age_number,
                    count=count,
                    source=path.name,
                )
            )
    problems.raise_if_any()
    with transaction.atomic():
        return upsert(
            PopulationEstimate,
            estimates,
            ["area", "year", "sex", "age"],
            ["count", "source"],
            "population",
        )


def load_lsoa_domains(path: Path) -> int:
    """IMD 2019 rank and decile for each domain of deprivation (IoD 2019 File 2)."""
    header, _ = read_csv(path, ["LSOA code (2011)"])
    columns = {}
    for domain in IOD_DOMAINS:
        stem = "Index of Multiple Deprivation (IMD)" if domain == IMD else domain
        rank = next((c for c in header if c.startswith(f"{stem} Rank")), f"{stem} Rank")
        decile = next((c for c in header if c.startswith(f"{stem} Decile")), f"{stem} Decile")
        columns[domain] = (rank, decile)
    _, rows = read_csv(path, ["LSOA code (2011)", *[c for pair in columns.values() for c in pair]])
    problems = ProblemList(path)
    code = "LSOA code (2011)"
    _check_codes(rows, code, problems, _known_codes(r[code] for r in rows), "LSOA")
    values = []
    for row in rows:
        for domain, (rank, decile) in columns.items():
            values.append(
                Deprivation(
                    area_id=row[code],
                    year=2019,
                    domain=domain,
                    source=path.name,
                    rank=parse_number(row[rank], row.line, rank, problems, integer=True, minimum=1),
                    decile=parse_number(
                        row[decile], row.line, decile, problems, integer=True, minimum=1
                    ),
                )
            )
    problems.raise_if_any()
    with transaction.atomic():
        return upsert(
            Deprivation,
            values,
            ["area", "year", "domain"],
            ["rank", "decile", "source"],
            "deprivation domains",
        )


def load_authority_deprivation(path: Path) -> int:
    """Local authority summaries of IoD 2019: average score, its rank, share in the worst decile."""
    columns = [
        "lad19cd",
        "index_domain",
        "average_score",
        "rank_average_score",
        "proportion_bottom_decile",
        "year",
    ]
    _, rows = read_csv(path, columns)
    problems = ProblemList(path)
    _check_codes(
        rows, "lad19cd", problems, _known_codes(r["lad19cd"] for r in rows), "local authority"
    )
    values = [
        Deprivation(
            area_id=row["lad19cd"],
            domain=row["index_domain"],
            source=path.name,
            year=parse_number(row["year"], row.line, "year", problems, integer=True),
            score=parse_number(row["average_score"], row.line, "average_score", problems),
            rank=parse_number(
                row["rank_average_score"],
                row.line,
                "rank_average_score",
                problems,
                integer=True,
                minimum=1,
            ),
            proportion_most_deprived_decile=parse_number(
                row["proportion_bottom_decile"],
                row.line,
                "proportion_bottom_decile",
                problems,
                minimum=0,
            ),
        )
        for row in rows
    ]
    problems.raise_if_any()
    with transaction.atomic():
        return upsert(
            Deprivation,
            values,
            ["area", "year", "domain"],
            ["score", "rank", "proportion_most_deprived_decile", "source"],
            "authority deprivation",
        )
