"""Where case finding's patients possibly missing are: summed by the ward of each practice (for
an authority), and the practices as points at approximate places."""

from __future__ import annotations

from healthgap.areas import queries as area_queries
from healthgap.areas.models import Area, AreaType
from healthgap.areas.search import configured_postcode_lookup
from healthgap.practices import queries
from healthgap.web import charts, practice_charts
from healthgap.web.formats import DataTable


def missing_by_ward(area: Area, practices, rows, condition, period):
    """For an authority: patients possibly missing, summed over the practices in each ward
    (by the ward of the practice's postcode), as a table and a ward map; else (None, None)."""
    lookup = configured_postcode_lookup()
    wards = dict(
        Area.objects.filter(area_type=AreaType.WARD, parent=area).values_list("code", "name")
    )
    if lookup is None or not wards:
        return None, None
    ward_of = {
        p.area_id: lookup.wards_by_postcode.get(p.postcode.replace(" ", "").upper(), ("", ""))[1]
        for p in practices
    }
    found = _ward_totals(wards, ward_of, rows)
    table = DataTable(
        "wards",
        f"Patients possibly missing from the {condition.lower()} registers by ward, {period}",
        [("name", "Ward"), ("code", "Ward code"), ("practices", "Practices in the ward"),
         ("missing", "Patients possibly missing")],
        found,
    )  # fmt: skip
    chart = charts.choropleth(
        "case-finding-map",
        f"{condition}: patients possibly missing by the ward of their practice, {area.name}",
        "Wards shaded by the patients possibly missing from the registers of the practices in "
        "them (by the practice's postcode; patients may live elsewhere). Wards without a "
        "practice show 0. The table below gives the same figures.",
        area_queries.features({ward["code"]: ward for ward in found}),
        "missing",
        "Patients possibly missing",
        [
            ("name", "Ward", "nominal"),
            ("practices", "Practices", "quantitative"),
            ("missing", "Patients possibly missing", "quantitative"),
        ],
        scheme="oranges",
    )
    return table, chart


def _ward_totals(wards: dict[str, str], ward_of: dict[str, str], rows) -> list[dict]:
    """Each ward's practices and patients possibly missing (every ward, with none too), most
    missing first."""
    totals = {code: {"code": code, "name": name, "practices": 0, "missing": 0.0}
              for code, name in wards.items()}  # fmt: skip
    for row in rows:
        ward = totals.get(ward_of.get(row["code"]))
        if ward:
            ward["practices"] += 1
            ward["missing"] += row["missing"] or 0
    found = sorted(totals.values(), key=lambda ward: -ward["missing"])
    for ward in found:
        ward["missing"] = round(ward["missing"])
    return found


def practice_points(practices, rows, condition: str, period: str, area: Area):
    """The practices as points, each at its LSOA's (or ward's) centroid: no open file gives
    practices' coordinates, so the places are approximate and the page says so."""
    located = queries.practice_locations(practices)
    placed = [{**row, **located[row["code"]]} for row in rows if row["code"] in located]
    if not placed:
        return None, None
    for row in placed:
        row["size"] = row["missing"] or 0
    table = DataTable(
        "practice_points",
        f"Where the practices are drawn (approximately): {condition}, {period}",
        [("name", "Practice"), ("code", "Code"), ("basis", "Drawn at the"),
         ("area", "Area code"), ("lon", "Longitude"), ("lat", "Latitude"),
         ("missing", "Patients possibly missing"), ("significance", "Compared with expected")],
        placed,
        {"name": "url"},
        decimals={"lon": 4, "lat": 4},
    )  # fmt: skip
    authority_wards = Area.objects.filter(area_type=AreaType.WARD, parent=area)
    around = {row["area"] for row in placed} | set(authority_wards.values_list("code", flat=True))
    outlines = area_queries.features({code: {} for code in _ward_codes(around)})
    chart = practice_charts.point_map(
        "case-finding-points",
        f"{condition}: practices by patients possibly missing, {area.name} (approximate places)",
        f"Each circle is a practice, sized by the patients possibly missing from its register "
        f"and coloured by how its register compares with expected; select one to open its "
        f"profile. Places are approximate: no open file gives practices' coordinates, so each "
        f"is drawn at the centroid of its postcode's LSOA (or ward). {len(placed)} of "
        f"{len(rows)} practices could be placed. The table below gives the same figures.",
        outlines,
        placed,
        size_title="Patients possibly missing",
    )
    return table, chart


def _ward_codes(codes: set[str]) -> set[str]:
    """The wards among ``codes``, and the wards of the LSOAs among them (the outlines drawn)."""
    areas = Area.objects.filter(code__in=codes).values_list("code", "area_type", "ward_id")
    return {ward if area_type == AreaType.LSOA else code for code, area_type, ward in areas} - {
        None
    }
