"""GP practice pages: the index of practices by ICB and sub-ICB location, and each practice's
profile (with .json and per-table .csv/.xlsx/.json twins, as the area pages)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from healthgap.areas.models import AreaType
from healthgap.constants import ENGLAND_CODE
from healthgap.practices import queries
from healthgap.practices.models import Practice
from healthgap.web import charts
from healthgap.web.formats import DataTable, error_response, page_json, table_response
from healthgap.web.outcomes import PAGE_NAMES, PRACTICE_PAGES
from healthgap.web.pages.common import rounded
from healthgap.web.pages.practices.common import EXAMPLE, EXAMPLE_LISTS_TEXT, SYNTHETIC_TEXT


def practice_index(request):
    groups = []
    for group in queries.nhs_groups():
        links = [
            {"name": PAGE_NAMES[page], "url": reverse("web:outcome", args=[group.code, page])}
            for page in PRACTICE_PAGES
        ]
        groups.append({"area": group, "links": links, "practices": queries.practices_of(group)})
    return render(request, "web/practices.html", {"groups": groups})


def _hierarchy(practice: Practice) -> list[dict]:
    """The practice's PCN, sub-ICB location and ICB, nearest first."""
    found, area = [], practice.area.parent
    while area is not None and area.code != ENGLAND_CODE:
        found.append(
            {
                "type": area.get_area_type_display(),
                "area_type": area.area_type,
                "name": area.name,
                "code": area.code,
                "url": reverse("web:area", args=[area.code]),
            }
        )
        area = area.parent
    return found


def _tables(practice: Practice) -> list[DataTable]:
    return [_indicator_table(practice), _list_table(practice), _age_sex_table(practice)]


def _indicator_table(practice: Practice) -> DataTable:
    rows = []
    for row in queries.practice_profile_values(practice.area_id):
        indicator = row["indicator"]
        rows.append(
            {
                "name": indicator.name,
                "code": indicator.code,
                "period": row["period"],
                "sex": row["sex"],
                "age": row["age"],
                "unit": indicator.unit,
                "value": rounded(row["value"], 2),
                "lower95": rounded(row["lower95"], 2),
                "upper95": rounded(row["upper95"], 2),
                "count": rounded(row["count"], 0),
                "denominator": rounded(row["denominator"], 0),
                "compared_to_england": row["compared_to_england"] or "Not compared",
                "synthetic": "synthetic" if indicator.is_synthetic else "",
            }
        )
    columns = [
        ("name", "Indicator"),
        ("period", "Period"),
        ("sex", "Sex"),
        ("age", "Age"),
        ("value", "Value"),
        ("unit", "Unit"),
        ("lower95", "Lower 95% limit"),
        ("upper95", "Upper 95% limit"),
        ("count", "Count"),
        ("denominator", "Denominator"),
        ("compared_to_england", "Compared with England"),
        ("synthetic", "Data"),
    ]
    return DataTable("indicators", f"Indicators, {practice.area.name}", columns, rows)


def _list_table(practice: Practice) -> DataTable:
    bands = queries.list_bands(practice.area_id)
    total = sum(band.patients for band in bands) or 1
    rows = [
        {
            "band": band.band,
            "patients": band.patients,
            "percent": round(100 * band.patients / total, 1),
            "period": band.period,
        }
        for band in bands
    ]
    columns = [
        ("band", "Age band"),
        ("patients", "Patients"),
        ("percent", "% of the list"),
        ("period", "QOF year"),
    ]
    title = f"Registered patients by age band, {practice.area.name}"
    return DataTable("list", title, columns, rows, decimals={"percent": 1})


def _age_sex_table(practice: Practice) -> DataTable:
    """The list by five-year band, men and women side by side (the pyramid's figures)."""
    bands: dict[int, dict] = {}
    for row in queries.practice_age_sex_list(practice.area_id):
        band = bands.setdefault(
            row.age_start,
            {"band": row.band, "order": row.age_start, "period": row.period,
             "data": EXAMPLE if row.is_example else "NHS Digital"},
        )  # fmt: skip
        band[row.sex.lower()] = row.patients
    total = sum(band.get(sex, 0) for band in bands.values() for sex in ("male", "female")) or 1
    for band in bands.values():
        for sex in ("male", "female"):
            band[f"{sex}_percent"] = round(100 * band.get(sex, 0) / total, 2)
    columns = [
        ("band", "Age band"),
        ("male", "Men"),
        ("female", "Women"),
        ("male_percent", "% of the list: men"),
        ("female_percent", "% of the list: women"),
        ("period", "Month"),
        ("data", "Data"),
    ]
    title = f"Registered patients by age and sex, {practice.area.name}"
    return DataTable(
        "age_sex", title, columns, list(bands.values()),
        decimals={"male_percent": 2, "female_percent": 2},
    )  # fmt: skip


def _age_sex_pyramid(practice: Practice, table: DataTable):
    if not table.rows:
        return None
    example = " (an example list, not NHS Digital's)" if _is_example(table) else ""
    return charts.age_sex_pyramid(
        "practice-age-sex",
        f"Registered patients by age and sex, {practice.area.name}, {table.rows[0]['period']}",
        f"The practice's list{example}: bars to the left are men and to the right women in each "
        "five-year age band, as a percentage of the whole list. The table below gives the counts.",
        table.rows,
        whole="list",
    )


def _is_example(table: DataTable) -> bool:
    return any(row["data"] == EXAMPLE for row in table.rows)


def _practice(code: str) -> Practice | None:
    return (
        Practice.objects.select_related("area__parent__parent__parent")
        .filter(area_id=code, area__area_type=AreaType.GP_PRACTICE)
        .first()
    )


def practice(request, code: str, fmt: str | None = None):
    found = _practice(code)
    if found is None:
        return error_response(request, 404, f"No GP practice has the code {code!r}.", fmt)
    tables = _tables(found)
    summary = {
        "code": found.area_id,
        "name": found.area.name,
        "status": found.get_status_display(),
        "opened": found.opened,
        "closed": found.closed,
        "postcode": found.postcode,
        "imd_score": rounded(found.imd_score, 1),
        "imd_basis": found.imd_basis,
        "list_size": sum(row["patients"] for row in tables[1].rows) or None,
    }
    hierarchy = _hierarchy(found)
    if fmt == "json":
        return page_json(found.area.name, tables, practice=summary, hierarchy=hierarchy)
    group = next((g for g in hierarchy if g["area_type"] != AreaType.PCN), None)
    context = {
        "practice": found,
        "summary": summary,
        "hierarchy": hierarchy,
        "tables": {table.name: table for table in tables},
        "json_url": reverse("web:practice_format", args=[code, "json"]),
        "group_links": [
            {"name": PAGE_NAMES[page], "url": reverse("web:outcome", args=[group["code"], page])}
            for page in PRACTICE_PAGES
        ]
        if group
        else [],
        "synthetic": any(row["synthetic"] for row in tables[0].rows),
        "synthetic_text": SYNTHETIC_TEXT,
        "age_sex_pyramid": _age_sex_pyramid(found, tables[2]),
        "example_lists": _is_example(tables[2]),
        "example_text": EXAMPLE_LISTS_TEXT,
    }
    return render(request, "web/practice.html", context)


def practice_table(request, code: str, table: str, fmt: str):
    found = _practice(code)
    if found is None:
        return error_response(request, 404, f"No GP practice has the code {code!r}.", fmt)
    tables = {t.name: t for t in _tables(found)}
    if table not in tables:
        return error_response(
            request, 404, f"No table {table!r} for this practice; tables: {', '.join(tables)}.", fmt
        )
    return table_response(tables[table], fmt, f"{code}-{table}")
