"""Compare areas: one indicator for every area of a group (the region's authorities, all
upper-tier authorities, nearest neighbours, the wards of a city), sorted, with 95% or 99.8%
limits, coloured by comparison with the benchmark."""

from __future__ import annotations

from healthgap.areas.models import Area
from healthgap.areas.queries import wards_of
from healthgap.constants import ENGLAND_CODE, NOT_COMPARED
from healthgap.indicators import queries
from healthgap.indicators.models import ComparatorGroup
from healthgap.web import outcome_charts
from healthgap.web.formats import DataTable
from healthgap.web.pages.common import (
    LEVELS,
    Filter,
    OutcomePage,
    authority_groups,
    choose,
    compared,
    decimals,
    published_values,
    rounded,
    with_disclosure_column,
)
from healthgap.web.pages.trends import indicator_filters

COLUMNS = [
    ("rank", "Rank"),
    ("name", "Area"),
    ("code", "Code"),
    ("count", "Count"),
    ("value", "Value"),
    ("lower", "Lower limit"),
    ("upper", "Upper limit"),
    ("colour", "Compared with benchmark"),
]


def groups(area: Area) -> dict[str, tuple[str, list[Area]]]:
    """{key: (label, member areas)} for the groups this area can be compared within."""
    authorities = authority_groups(area)
    found = {"region": authorities["region"]} if "region" in authorities else {}
    nearest = ComparatorGroup.objects.filter(area=area, kind=ComparatorGroup.Kind.NEAREST).first()
    if nearest:
        members = [member.area for member in nearest.members.select_related("area")]
        found["nearest"] = (nearest.name, [area, *[m for m in members if m != area]])
    found["england"] = authorities["england"]
    wards = list(wards_of(area))
    if wards:
        found["wards"] = (f"Wards of {area.name}", wards)
    return found


def _benchmark(group: str, area: Area) -> tuple[str, str]:
    """Wards are compared with their city; authorities with England: (code, name)."""
    return (area.code, area.name) if group == "wards" else (ENGLAND_CODE, "England")


def _rows(values, members, area, indicator, benchmark, level, group) -> list[dict]:
    values = sorted(
        (row for row in values if row["value"] is not None), key=lambda row: -row["value"]
    )
    lower, upper = ("lower998", "upper998") if level == "99.8" else ("lower95", "upper95")
    labels = compared(values, benchmark, indicator, level)
    if group != "wards":  # published comparisons with England where a file gave no limits
        stored = "compared_to_england_998" if level == "99.8" else "compared_to_england"
        labels = [
            row[stored] or label if label == NOT_COMPARED else label
            for row, label in zip(values, labels)
        ]
    return [
        {
            "rank": order + 1,
            "order": order,
            "name": members[row["area_id"]].name,
            "code": row["area_id"],
            "count": rounded(row["count"], 0),
            "value": rounded(row["value"]),
            "lower": rounded(row[lower]),
            "upper": rounded(row[upper]),
            "colour": label,
            "highlight": row["area_id"] == area.code,
            "disclosure": row.get("disclosure", ""),
        }
        for order, (row, label) in enumerate(zip(values, labels))
    ]


def build(area: Area, params, *, unsuppressed: bool = False) -> OutcomePage:
    """The page; values of an indicator under disclosure control as the public may see them,
    unless ``unsuppressed`` (signed-in analysts only: such a page is never cached)."""
    available = groups(area)
    ward_codes = [ward.code for ward in available.get("wards", ("", []))[1]]
    filters, indicator = indicator_filters([area.code, *ward_codes], params, with_period=True)
    group_options = [(key, label) for key, (label, _) in available.items()]
    default_group = "wards" if indicator.is_synthetic and ward_codes else group_options[0][0]
    group = choose(params, "group", group_options, default_group)
    level = choose(params, "level", list(LEVELS.items()), "95")
    filters += [
        Filter("group", "Compare with", group_options, group),
        Filter("level", "Confidence level", [(k, v) for k, v in LEVELS.items()], level),
    ]
    point = (indicator.code, *[item.selected for item in filters[1:4]])
    members = {member.code: member for member in available[group][1]}
    benchmark_code, benchmark_label = _benchmark(group, area)
    found, disclosure = published_values(
        indicator,
        queries.values_at([point], [benchmark_code, *members]),
        unsuppressed,
        {code: member.name for code, member in members.items()},
    )
    benchmark = next((r["value"] for r in found if r["area_id"] == benchmark_code), None)
    values = [row for row in found if row["area_id"] in members]
    rows = _rows(values, members, area, indicator, benchmark, level, group)
    return _page(area, indicator, point, available[group][0], rows, filters, benchmark_label,
                 benchmark, level, disclosure)  # fmt: skip


def _page(area, indicator, point, group_label, rows, filters, benchmark_label, benchmark, level,
          disclosure):  # fmt: skip
    _, period, sex, age = point
    label = f"{indicator.name} ({sex}, {age}), {period}"
    colours = outcome_charts.colour_scale(row["colour"] for row in rows)
    description = (
        f"{label} for {len(rows)} areas ({group_label}), highest first, with {LEVELS[level]} "
        f"confidence limits as whiskers and {benchmark_label}'s value "
        f"({rounded(benchmark)}) as a dashed line. Bars are coloured by comparison with "
        f"{benchmark_label}; {area.name} is outlined. The table below gives every figure."
    )
    chart = outcome_charts.ranked_bars(
        "compare-chart",
        f"{label}: {group_label}",
        description,
        rows,
        value_title=indicator.unit or "Value",
        colour_title=f"Compared with {benchmark_label} ({LEVELS[level]})",
        scale=colours,
        benchmark=rounded(benchmark),
        benchmark_label=benchmark_label,
    )
    places = decimals(indicator)
    places = {"count": 0} | dict.fromkeys(("value", "lower", "upper"), places)
    columns = with_disclosure_column(COLUMNS, disclosure)
    table = DataTable("areas", f"{label}: {group_label}", columns, rows, decimals=places)
    return OutcomePage(
        title=f"Compare areas: {indicator.name}",
        template="web/compare.html",
        tables=[table],
        charts={"compare": chart},
        filters=filters,
        context={
            "benchmark": rounded(benchmark),
            "benchmark_label": benchmark_label,
            "disclosure": disclosure,
        },
        synthetic=indicator.is_synthetic,
    )
