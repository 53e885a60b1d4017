"""Maps: one indicator at the geography of its data (upper-tier authorities, wards, MSOAs or
LSOAs), coloured by comparison with a benchmark or by quintile, with a keyboard-operable list
of areas and a table."""

from __future__ import annotations

import pandas as pd

from healthgap.areas.models import Area, AreaType
from healthgap.areas.queries import features, wards_of
from healthgap.constants import ENGLAND_CODE, NOT_COMPARED
from healthgap.indicators import queries
from healthgap.methods import quantile
from healthgap.web import outcome_charts
from healthgap.web.formats import DataTable
from healthgap.web.pages.common import (
    Filter,
    OutcomePage,
    authority_groups,
    choose,
    compared,
    decimals,
    published_values,
    rounded,
    stored_comparison,
    with_disclosure_column,
)
from healthgap.web.pages.trends import indicator_filters

NO_DATA = "No data"
SUPPRESSED = "Suppressed (small numbers)"
SUPPRESSED_COLOUR = "#b1b4b6"  # GOV.UK mid grey
QUINTILES = ["Lowest", "Low", "Middle", "High", "Highest"]
QUINTILE_COLOURS = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"]
COLOURINGS = [("significance", "Comparison with benchmark"), ("quintile", "Quintile")]
COLUMNS = [
    ("name", "Area"),
    ("code", "Code"),
    ("value", "Value"),
    ("lower", "Lower 95% limit"),
    ("upper", "Upper 95% limit"),
    ("category", "Category"),
]


def geographies(area: Area) -> dict[str, tuple[str, list[Area]]]:
    """{key: (label, areas)} of the geographies that can be mapped for this area."""
    msoas = list(Area.objects.of_type(AreaType.MSOA).filter(parent=area))
    # LSOAs by their MSOAs' codes: an index look-up, not a join over every LSOA in England
    lsoas = Area.objects.of_type(AreaType.LSOA).filter(parent_id__in=[m.code for m in msoas])
    found = {
        "ward": (f"Wards of {area.name}", list(wards_of(area))),
        "msoa": (f"MSOAs of {area.name}", msoas),
        "lsoa": (f"LSOAs of {area.name}", list(lsoas) if msoas else []),
    }
    found |= authority_groups(area)
    return {key: value for key, value in found.items() if value[1]}


def _choose_geography(indicator_code, available, params) -> str:
    """The asked-for geography, else the smallest one with data for the indicator."""
    codes = {member.code for _, members in available.values() for member in members}
    found = queries.areas_with_data(indicator_code, codes)
    with_data = [
        key
        for key, (_, members) in available.items()
        if any(member.code in found for member in members)
    ]
    options = [(key, available[key][0]) for key in with_data] or [("england", "")]
    return choose(params, "geography", options, options[0][0]), with_data


def _quintiles(values: list[dict]) -> list[str]:
    frame = pd.DataFrame({"value": [row["value"] for row in values]}, dtype="float64")
    result = quantile(frame, "value", nquantiles=5, invert=False, type="standard")
    return [NOT_COMPARED if pd.isna(q) else QUINTILES[int(q) - 1] for q in result["quantile"]]


def _categories(values, colouring, benchmark, indicator, small_areas) -> list[str]:
    if colouring == "quintile":
        return _quintiles(values)
    labels = compared(values, benchmark, indicator, "95")
    if small_areas:
        return labels
    return [
        stored_comparison(row) if label == NOT_COMPARED else label
        for row, label in zip(values, labels)
    ]


def _details(row: dict, unit: str, benchmark_label: str) -> str:
    limits = f" (95% limits {row['lower']} to {row['upper']})" if row["lower"] is not None else ""
    return (
        f"{row['name']}: {row['value']} {unit}{limits}. "
        f"{row['category']} (compared with {benchmark_label})."
    )


def build(area: Area, params, *, unsuppressed: bool = False) -> OutcomePage:
    """The page; values of an indicator under disclosure control as the public may see them
    (suppressed areas drawn as such), unless ``unsuppressed`` (signed-in analysts only)."""
    available = geographies(area)
    small = [code for key in ("ward", "msoa", "lsoa") if key in available for code in
             [m.code for m in available[key][1]]]  # fmt: skip
    filters, indicator = indicator_filters([area.code, *small], params, with_period=True)
    geography, with_data = _choose_geography(indicator.code, available, params)
    colouring = choose(params, "colour", COLOURINGS, "significance")
    filters += [
        Filter("geography", "Areas", [(k, available[k][0]) for k in with_data], geography),
        Filter("colour", "Colour by", COLOURINGS, colouring),
    ]
    point = (indicator.code, *[item.selected for item in filters[1:4]])
    members = {member.code: member for member in available[geography][1]}
    small_areas = geography in ("ward", "msoa", "lsoa")
    benchmark_code, benchmark_label = (
        (area.code, area.name) if small_areas else (ENGLAND_CODE, "England")
    )
    found, disclosure = published_values(
        indicator,
        queries.values_at([point], [benchmark_code, *members]),
        unsuppressed,
        {code: member.name for code, member in members.items()},
    )
    benchmark = next((row["value"] for row in found if row["area_id"] == benchmark_code), None)
    values = [row for row in found if row["area_id"] in members and row["value"] is not None]
    categories = _categories(values, colouring, benchmark, indicator, small_areas)
    rows = []
    for row, category in sorted(
        zip(values, categories), key=lambda pair: members[pair[0]["area_id"]].name
    ):
        rows.append(
            {
                "name": members[row["area_id"]].name,
                "code": row["area_id"],
                "value": rounded(row["value"]),
                "lower": rounded(row["lower95"]),
                "upper": rounded(row["upper95"]),
                "category": category,
                "disclosure": row.get("disclosure", ""),
            }
        )
    for row in rows:
        row["details"] = _details(row, indicator.unit, benchmark_label)
    shown = {row["code"] for row in rows}
    missing = [member for code, member in members.items() if code not in shown]
    return _page(area, indicator, point, available[geography][0], rows, filters,
                 colouring, benchmark_label, missing, disclosure)  # fmt: skip


def _page(area, indicator, point, geography_label, rows, filters, colouring, benchmark_label,
          missing, disclosure):  # fmt: skip
    _, period, sex, age = point
    label = f"{indicator.name} ({sex}, {age}), {period}"
    if colouring == "quintile":
        present = [q for q in QUINTILES if any(row["category"] == q for row in rows)]
        scale = {
            "domain": present,
            "range": [QUINTILE_COLOURS[QUINTILES.index(q)] for q in present],
        }
        legend = "Quintile (lowest to highest value)"
    else:
        scale = outcome_charts.colour_scale(row["category"] for row in rows)
        legend = f"Compared with {benchmark_label} (95%)"
    properties = {row["code"]: {k: row[k] for k in ("name", "value", "category")} for row in rows}
    hidden = set(disclosure["suppressed"]) if disclosure else set()
    for member in missing:
        category = SUPPRESSED if member.name in hidden else NO_DATA
        properties[member.code] = {"name": member.name, "value": None, "category": category}
    for category, colour in ((NO_DATA, "#ffffff"), (SUPPRESSED, SUPPRESSED_COLOUR)):
        if any(properties[member.code]["category"] == category for member in missing):
            scale = {"domain": [*scale["domain"], category], "range": [*scale["range"], colour]}
    shapes = features(properties)  # wound for d3 when loaded
    description = (
        f"Map of {label} for {len(rows)} areas ({geography_label}), coloured by "
        f"{legend[0].lower()}{legend[1:]}. Choose an area in the list below the map to "
        "outline it and read its figures; the table gives every area's figures."
    )
    chart = outcome_charts.category_map(
        "indicator-map",
        f"{label}: {geography_label}",
        description,
        shapes,
        category_title=legend,
        scale=scale,
        tooltip=[("name", "Area"), ("value", indicator.unit or "Value"), ("category", legend)],
    )
    places = decimals(indicator)
    table = DataTable("areas", f"{label}: {geography_label}",
                      with_disclosure_column(COLUMNS, disclosure), rows,
                      decimals=dict.fromkeys(("value", "lower", "upper"), places))  # fmt: skip
    return OutcomePage(
        title=f"Map: {indicator.name}",
        template="web/map.html",
        tables=[table],
        charts={"map": chart},
        filters=filters,
        context={"disclosure": disclosure},
        synthetic=indicator.is_synthetic,
    )
